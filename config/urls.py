from django.contrib import admin
from django.urls import include, path

from kommunedialog.api.api import api, openapi_json

urlpatterns = [
    path("", include("kommunedialog.publicsite.urls")),
    path("konto/", include("kommunedialog.accounts.urls")),
    path("intern/", include("kommunedialog.oversight.urls")),
    path("kommunebilde/", include("kommunedialog.profiles.urls")),
    path("statistikk/", include("kommunedialog.statistics.urls")),
    path("prosjektskjonn/", include("kommunedialog.grants.public_urls")),
    path("skjonn/", include("kommunedialog.grants.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/openapi.json", openapi_json, name="openapi"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
