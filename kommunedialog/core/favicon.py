"""The site's icon. Browsers ask for /favicon.ico by themselves; it answers with the SVG in the static
files (which the base template also names with <link rel="icon">), so there is one icon to maintain."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

ICON = "core/favicon.svg"


@require_safe
def favicon_show(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static(ICON))
