"""The logged-in start page of Prosjektskjønn (what each role has to do) and the ministry's overview."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.accounts.models import Role
from kommunedialog.grants import access, overview
from kommunedialog.grants.models import Report
from kommunedialog.grants.states import ApplicationState, ReportState

OFFICE_INBOX = [
    ApplicationState.SUBMITTED,
    ApplicationState.UNDER_ASSESSMENT,
    ApplicationState.INFO_REQUESTED,
    ApplicationState.RECOMMENDED,
]


@login_required
@require_safe
def portal_show(request: HttpRequest) -> HttpResponse:
    user = request.user
    own = account_access.municipality_ids_for(user)
    offices = account_access.offices_for(user)
    context: dict[str, Any] = {
        "is_applicant": bool(own),
        "is_office": bool(offices),
        "is_coordinator": bool(account_access.offices_for(user, Role.COORDINATOR)),
        "is_ministry": account_access.has_role(user, Role.MINISTRY),
    }
    if own:
        context.update(
            open_calls=access.open_calls_for_applicant(user).select_related("office"),
            own_applications=access.applications_for_municipality_user(user).order_by("-created_at"),
            own_projects=access.projects_for_municipality_user(user),
            own_reports=Report.objects.filter(
                project__in=access.projects_for_municipality_user(user),
                state__in=[ReportState.DRAFT, ReportState.RETURNED],
            )
            .select_related("project__application")
            .order_by("due_on"),
        )
    if offices:
        context.update(
            calls=access.calls_for_office(user),
            inbox=access.applications_for_office(user).filter(state__in=OFFICE_INBOX).order_by("call", "pk"),
            reports_to_read=Report.objects.filter(
                project__application__call__office__in=offices, state=ReportState.SUBMITTED
            ).select_related("project__application__municipality"),
            office_projects=access.projects_for_office(user).order_by("-created_at")[:50],
        )
    return render(request, "grants/portal.html", context)


@login_required
@require_safe
def ministry_show(request: HttpRequest) -> HttpResponse:
    access.require_ministry(request.user)
    reports, overdue = overview.report_status()
    return render(
        request,
        "grants/ministry.html",
        {
            "by_office": overview.by_office_and_year(),
            "by_theme": overview.by_theme(),
            "projects": overview.project_status(),
            "reports": reports,
            "overdue": overdue,
        },
    )


@login_required
@require_safe
def ministry_export(request: HttpRequest) -> HttpResponse:
    access.require_ministry(request.user)
    response = HttpResponse("\ufeff" + overview.export_csv(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="prosjektskjonn-oversikt.csv"'
    return response
