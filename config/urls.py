from django.contrib import admin
from django.urls import include, path

from kommunedialog.api.api import api, openapi_json
from kommunedialog.core import favicon

urlpatterns = [
    path("", include("kommunedialog.publicsite.urls")),
    path("konto/", include("kommunedialog.accounts.urls")),
    path("intern/", include("kommunedialog.oversight.urls")),
    path("intern/", include("kommunedialog.profiles.overview_urls")),
    path("intern/sammenligningsgrupper/", include("kommunedialog.profiles.peerset_urls")),
    path("kommunebilde/", include("kommunedialog.profiles.urls")),
    path("statistikk/", include("kommunedialog.statistics.urls")),
    path("prosjektskjonn/", include("kommunedialog.grants.public_urls")),
    path("skjonn/", include("kommunedialog.grants.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/openapi.json", openapi_json, name="openapi"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon.favicon_show, name="favicon"),
    # Monitoring and the proxy (docs/deployment.md); nginx lets only the internal network reach it.
    path("health/", include("kommunedialog.core.urls")),
]

# The error pages in the site's layout and the reader's language (kommunedialog/core/errors.py).
handler400 = "kommunedialog.core.errors.bad_request"
handler403 = "kommunedialog.core.errors.permission_denied"
handler404 = "kommunedialog.core.errors.page_not_found"
handler500 = "kommunedialog.core.errors.server_error"
