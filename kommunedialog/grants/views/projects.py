"""Projects after the award: the project page, reports, change requests and closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.core.concurrency import EditConflict
from kommunedialog.grants import access, forms, services, workflow
from kommunedialog.grants.models import Project, Report
from kommunedialog.grants.views._shared import REFUSALS, refuse
from kommunedialog.grants.workflow import Party


def _project_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    user = request.user
    found = workflow.parties(user, project)
    return {
        "project": project,
        "application": project.application,
        "reports": project.reports.all(),
        "change_requests": project.change_requests.all(),
        "actions": workflow.PROJECT.allowed_actions(project, user),
        "is_applicant": Party.APPLICANT in found,
        "office_side": bool({Party.STAFF, Party.COORDINATOR} & found),
        "change_form": extra.pop("change_form", None) or forms.ChangeRequestForm(),
        "change_decision_form": forms.ChangeDecisionForm(),
        **extra,
    }


@login_required
@require_safe
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    the_project = access.project_for_viewer(request.user, project_id)
    return render(request, "grants/project.html", _project_context(request, the_project))


@login_required
@require_POST
def project_transition(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    the_project = access.project_for_viewer(request.user, project_id)
    if action != "close":
        raise Http404("No such action")
    try:
        services.project_close(project=the_project, actor=request.user)
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        messages.success(request, _("The project is closed."))
    return redirect("grants:project", project_id=the_project.pk)


@login_required
@require_POST
def change_request_submit(request: HttpRequest, project_id: int) -> HttpResponse:
    the_project = access.project_for_applicant(request.user, project_id)
    form = forms.ChangeRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request, "grants/project.html", _project_context(request, the_project, change_form=form), status=400
        )
    try:
        services.change_request_submit(project=the_project, actor=request.user, **form.cleaned_data)
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        messages.success(request, _("The change request is sent to the County Governor."))
    return redirect("grants:project", project_id=the_project.pk)


@login_required
@require_POST
def change_request_decide(request: HttpRequest, project_id: int, change_id: int) -> HttpResponse:
    the_project = access.project_for_office(request.user, project_id)
    change = access.change_request_for_office(request.user, the_project, change_id)
    form = forms.ChangeDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "grants/project.html", _project_context(request, the_project), status=400)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.change_request_approve(
                change_request=change, actor=request.user, reason=form.cleaned_data["reason"]
            )
        else:
            services.change_request_reject(
                change_request=change, actor=request.user, reason=form.cleaned_data["reason"]
            )
    except REFUSALS as refused:
        refuse(request, refused)
    return redirect("grants:project", project_id=the_project.pk)


def _report_form(report: Report, data: Any = None) -> forms.ReportForm:
    return forms.ReportForm(
        data,
        initial={
            "what_was_done": report.what_was_done,
            "results": report.results,
            "money_spent": report.money_spent,
            "lessons_learned": report.lessons_learned,
            "version": report.version,
        },
    )


def _report_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    found = workflow.parties(request.user, report)
    return {
        "report": report,
        "project": report.project,
        "application": report.project.application,
        "actions": workflow.REPORT.allowed_actions(report, request.user),
        "editable": Party.APPLICANT in found and report.state in services.projects.REPORT_EDITABLE,
        "office_side": bool({Party.STAFF, Party.COORDINATOR} & found),
        "form": extra.pop("form", None) or _report_form(report),
        "message_form": forms.MessageForm(),
        "problems": report.submission_problems(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report: the municipality writes it; the office reads it here."""
    if request.method == "POST":
        the_report = access.report_for_applicant(request.user, report_id)
        form = _report_form(the_report, request.POST)
        if not form.is_valid():
            return render(request, "grants/report.html", _report_context(request, the_report, form=form), status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.report_update(
                report=the_report, actor=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except EditConflict as conflict:
            the_report.refresh_from_db()
            form = _report_form(the_report, {**request.POST.dict(), "version": conflict.current_version})
            form.is_valid()
            return render(
                request,
                "grants/report.html",
                _report_context(request, the_report, form=form, conflict=conflict),
                status=409,
            )
        except REFUSALS as refused:
            refuse(request, refused)
        else:
            messages.success(request, _("Saved."))
        return redirect("grants:report", report_id=the_report.pk)
    the_report = access.report_for_viewer(request.user, report_id)
    return render(request, "grants/report.html", _report_context(request, the_report))


REPORT_ACTIONS: dict[str, Callable[..., Any]] = {
    "submit": services.report_submit,
    "approve": services.report_approve,
    "publish": services.report_publish,
}


@login_required
@require_POST
def report_transition(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    the_report = access.report_for_viewer(request.user, report_id)
    if action not in REPORT_ACTIONS and action != "return":
        raise Http404("No such action")
    try:
        if action == "return":
            form = forms.MessageForm(request.POST)
            if not form.is_valid():
                raise ValueError(_("Write the message first."))
            services.report_return(report=the_report, actor=request.user, reason=form.cleaned_data["text"])
        else:
            REPORT_ACTIONS[action](report=the_report, actor=request.user)
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        state = Report.objects.get(pk=the_report.pk).get_state_display()
        messages.success(request, _("Done: %(state)s.") % {"state": state})
    return redirect("grants:report", report_id=the_report.pk)
