"""Projects after the award: the project page, reports, change requests and closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.core.actors import person
from kommunedialog.core.submission import offers, press, submit
from kommunedialog.core.workflow import OFFICE, Party
from kommunedialog.grants import access, forms, services
from kommunedialog.grants.models import Project, Report
from kommunedialog.grants.workflow import PROJECT, REPORT, parties


def _project_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    user = person(request)
    bound, bound_for = extra.pop("change_decision_form", None), extra.pop("change_decision_for", None)
    found = parties(project, user)
    return {
        "project": project,
        "application": project.application,
        "reports": project.reports.all(),
        "change_requests": [
            (c, bound if c.pk == bound_for and bound else forms.ChangeDecisionForm(auto_id=f"c{c.pk}_%s"))
            for c in project.change_requests.all()
        ],
        "offers": offers(
            PROJECT.allowed(project, user),
            url=lambda action: reverse("grants:project_take_step", args=[project.pk, action]),
        ),
        "is_applicant": Party.MUNICIPALITY in found,
        "office_side": bool(OFFICE & found),
        "change_form": extra.pop("change_form", None) or forms.ChangeRequestForm(),
        **extra,
    }


@login_required
@require_safe
def project_show(request: HttpRequest, project_id: int) -> HttpResponse:
    the_project = access.project_for_viewer(request.user, project_id)
    return render(request, "grants/project.html", _project_context(request, the_project))


@login_required
@require_POST
def project_take_step(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    the_project = access.project_for_viewer(request.user, project_id)
    if action != "close":
        raise Http404("No such action")
    if press(request, lambda: services.project_close(project=the_project, actor=person(request))) is not None:
        messages.success(request, _("The project is closed."))
    return redirect("grants:project_show", project_id=the_project.pk)


@login_required
@require_POST
def change_request_submit(request: HttpRequest, project_id: int) -> HttpResponse:
    the_project = access.project_for_applicant(request.user, project_id)
    form = forms.ChangeRequestForm(request.POST)
    outcome = submit(
        form, lambda: services.change_request_submit(project=the_project, actor=person(request), **form.cleaned_data)
    )
    if not outcome.saved:
        context = _project_context(request, the_project, change_form=form)
        return render(request, "grants/project.html", context, status=outcome.status)
    messages.success(request, _("The change request is sent to the County Governor."))
    return redirect("grants:project_show", project_id=the_project.pk)


@login_required
@require_POST
def change_request_decide(request: HttpRequest, project_id: int, change_id: int) -> HttpResponse:
    the_project = access.project_for_office(request.user, project_id)
    change = access.change_request_for_office(request.user, the_project, change_id)
    form = forms.ChangeDecisionForm(request.POST, auto_id=f"c{change.pk}_%s")
    decide = (
        services.change_request_approve
        if form.is_valid() and form.cleaned_data["decision"] == "approve"
        else services.change_request_reject
    )
    outcome = submit(
        form, lambda: decide(change_request=change, actor=person(request), reason=form.cleaned_data["reason"])
    )
    if not outcome.saved:
        context = _project_context(request, the_project, change_decision_form=form, change_decision_for=change.pk)
        return render(request, "grants/project.html", context, status=outcome.status)
    messages.success(request, _("The decision on the change is recorded."))
    return redirect("grants:project_show", project_id=the_project.pk)


def _report_form(report: Report, data: Any = None) -> forms.ReportForm:
    return forms.ReportForm(
        data,
        initial={
            "what_was_done": report.what_was_done,
            "results": report.results,
            "money_spent": report.money_spent,
            "lessons_learned": report.lessons_learned,
            "spending_explanation": report.spending_explanation,
            "version": report.version,
        },
    )


def _report_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    user = person(request)
    found = parties(report, user)
    step_forms = {"return": forms.ReturnForm(auto_id="return_%s")}
    step_forms.update(extra.pop("step_forms", {}))
    return {
        "report": report,
        "project": report.project,
        "application": report.project.application,
        "offers": offers(
            REPORT.allowed(report, user),
            url=lambda action: reverse("grants:report_take_step", args=[report.pk, action]),
            step_forms=step_forms,
        ),
        "editable": Party.MUNICIPALITY in found and report.state in services.projects.REPORT_EDITABLE,
        "office_side": bool(OFFICE & found),
        "form": extra.pop("form", None) or _report_form(report),
        "problems": report.submission_problems(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report: the municipality writes it; the office reads it here."""
    if request.method == "POST":
        the_report = access.report_for_applicant(request.user, report_id)
        form = _report_form(the_report, request.POST)
        outcome = submit(
            form,
            lambda: services.report_update(
                report=the_report,
                actor=person(request),
                expected_version=form.cleaned_data["version"],
                **{k: v for k, v in form.cleaned_data.items() if k != "version"},
            ),
        )
        if outcome.saved:
            messages.success(request, _("Saved."))
            return redirect("grants:report_edit", report_id=the_report.pk)
        the_report.refresh_from_db()
        context = _report_context(request, the_report, form=form, conflict=outcome.conflict)
        return render(request, "grants/report.html", context, status=outcome.status)
    the_report = access.report_for_viewer(request.user, report_id)
    return render(request, "grants/report.html", _report_context(request, the_report))


REPORT_SERVICES: dict[str, Callable[..., Report]] = {
    "submit": services.report_submit,
    "return": services.report_return,
    "approve": services.report_approve,
    "publish": services.report_publish,
}


@login_required
@require_POST
def report_take_step(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    the_report = access.report_for_viewer(request.user, report_id)
    service = REPORT_SERVICES.get(action)
    if service is None:
        raise Http404("No such step")
    form = forms.ReturnForm(request.POST, auto_id="return_%s") if action == "return" else djforms.Form(request.POST)
    outcome = submit(form, lambda: service(report=the_report, actor=person(request), **form.cleaned_data))
    if outcome.saved and outcome.result is not None:
        messages.success(request, _("Done: %(state)s.") % {"state": outcome.result.get_state_display()})
        return redirect("grants:report_edit", report_id=the_report.pk)
    context = _report_context(request, the_report, step_forms={action: form})
    return render(request, "grants/report.html", context, status=outcome.status)
