"""The ministry's national picture at /kommunebilde/ and its CSV exports. Read-only, for the ministry
role only (404 to everyone else); counts per office, no municipality named, nothing ranked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.accounts.models import Role
from kommunedialog.oversight.tabular import download_response
from kommunedialog.profiles import national

EXPORTS = {"embeter": national.offices_csv, "fagomrader": national.domains_csv}


def is_ministry(user: object) -> bool:
    return account_access.has_role(user, Role.MINISTRY)  # type: ignore[arg-type]


def national_show(request: HttpRequest) -> HttpResponse:
    """Reached through ``profiles:cycle_list`` when the person holds the ministry role and no office."""
    if not is_ministry(request.user):
        raise Http404("No national picture")
    picture = national.build()
    return render(request, "profiles/national.html", {"picture": picture, "categories": national.CATEGORIES})


@require_safe
@login_required
def national_export(request: HttpRequest, kind: str) -> HttpResponse:
    if not is_ministry(request.user) or kind not in EXPORTS:
        raise Http404("No such export")
    picture = national.build()
    return download_response(EXPORTS[kind](picture), "csv", f"kommunebilde-{kind}-{picture.on:%Y-%m-%d}")
