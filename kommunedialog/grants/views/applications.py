"""The application: the municipality's multi-step form, the case page both sides see, its attachments
and the workflow buttons. Each view: a permission-checked getter, one service call, a page or a fragment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.uploads import UploadRejected, file_response
from kommunedialog.grants import access, forms, services, workflow
from kommunedialog.grants.budget import Budget
from kommunedialog.grants.models import Application
from kommunedialog.grants.views._shared import REFUSALS, refuse
from kommunedialog.grants.workflow import Party
from kommunedialog.profiles import public as public_profiles


@dataclass(frozen=True)
class Step:
    slug: str
    label: str | Promise
    form: type[Any] | None


STEPS = (
    Step("soker", gettext_lazy("Applicant"), forms.ApplicantForm),
    Step("samarbeid", gettext_lazy("Partners"), forms.PartnersForm),
    Step("prosjekt", gettext_lazy("Project"), forms.ProjectForm),
    Step("utfordringer", gettext_lazy("Challenges and goals"), forms.ChallengesForm),
    Step("sektorer", gettext_lazy("Sectors and instruments"), forms.SectorsForm),
    Step("budsjett", gettext_lazy("Budget"), forms.BudgetForm),
    Step("periode", gettext_lazy("Period"), forms.PeriodForm),
    Step("vedlegg", gettext_lazy("Attachments"), None),
    Step("bekreftelse", gettext_lazy("Chief executive's confirmation"), forms.ConfirmationForm),
    Step("send", gettext_lazy("Check and submit"), None),
)
BY_SLUG = {s.slug: s for s in STEPS}
# Taken on the decision page, with amount and reasons, not by a bare button.
DECISIONS = frozenset({"approve", "reject"})


def _next_step(step: Step) -> Step:
    return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]


def _step_form(step: Step, application: Application, data: Any = None) -> Any:
    """The step's form with the saved values (or ``data`` posted)."""
    assert step.form is not None
    fields = [name for name in step.form.base_fields if name not in {"version", "confirm"}]
    initial = {name: getattr(application, name) for name in fields if hasattr(application, name)}
    initial["version"] = application.version
    if step.slug == "samarbeid":
        initial["partners"] = list(application.partners.all())
        return step.form(data, initial=initial, lead=application.municipality)
    if step.slug == "prosjekt":
        return step.form(data, initial=initial, call=application.call)
    return step.form(data, initial=initial)


def _cost_formset(application: Application, data: Any = None) -> Any:
    rows = [{"description": c.description, "amount": c.amount} for c in application.cost_lines.all()]
    # Blank rows to fill in; a keyboard user tabs through them, nothing needs a script.
    return forms.CostLineFormSet(data, initial=rows + [{}] * max(3, 6 - len(rows)), prefix="lines")


def _save_step(step: Step, application: Application, request: HttpRequest, form: Any, formset: Any) -> Application:
    data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "confirm"}}
    version = form.cleaned_data["version"]
    actor = request.user
    if step.slug == "samarbeid":
        return services.application_set_partners(
            application=application, actor=actor, expected_version=version, partners=list(data["partners"])
        )
    if step.slug == "budsjett":
        return services.application_update_budget(
            application=application, actor=actor, expected_version=version, lines=forms.cost_lines_from(formset), **data
        )
    if step.slug == "bekreftelse":
        return services.application_confirm(
            application=application,
            actor=actor,
            expected_version=version,
            chief_executive_name=data["chief_executive_name"],
        )
    return services.application_update(application=application, actor=actor, expected_version=version, changes=data)


def _step_context(application: Application, step: Step, **extra: Any) -> dict[str, Any]:
    budget = application.budget()
    return {
        "application": application,
        "call": application.call,
        "steps": STEPS,
        "step": step,
        "next_step": _next_step(step),
        "budget": budget,
        "budget_problems": budget.problems(application.call.rules),
        "attachment_form": forms.AttachmentForm(),
        "problems": application.submission_problems() if step.slug == "send" else [],
        "editable": application.state in services.applications.EDITABLE,
        "attachable": application.state in services.applications.ATTACHABLE,
        "can_submit": bool(
            {"submit", "resubmit"} & set(workflow.APPLICATION.allowed_actions(application, extra.get("user")))
        ),
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_step(request: HttpRequest, application_id: int, step: str) -> HttpResponse:
    """One step of the application form; every save keeps the draft, nothing is sent before the last step."""
    application = access.application_for_applicant(request.user, application_id)
    the_step = BY_SLUG.get(step)
    if the_step is None:
        raise Http404("No such step")
    form = _step_form(the_step, application) if the_step.form else None
    formset = _cost_formset(application) if the_step.slug == "budsjett" else None
    status, conflict = 200, None
    if request.method == "POST" and the_step.form is not None:
        form = _step_form(the_step, application, request.POST)
        formset = _cost_formset(application, request.POST) if the_step.slug == "budsjett" else None
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                _save_step(the_step, application, request, form, formset)
            except EditConflict as caught:
                conflict, status = caught, 409
                application.refresh_from_db()
                form = _step_form(the_step, application, {**request.POST.dict(), "version": caught.current_version})
                form.is_valid()
            except REFUSALS as refused:
                refuse(request, refused)
                return redirect("grants:application", application_id=application.pk)
            else:
                messages.success(request, _("Saved."))
                return redirect(
                    "grants:application_step", application_id=application.pk, step=_next_step(the_step).slug
                )
        else:
            status = 400
    return render(
        request,
        "grants/application_step.html",
        _step_context(application, the_step, form=form, formset=formset, conflict=conflict, user=request.user),
        status=status,
    )


@login_required
@require_POST
def budget_check(request: HttpRequest, application_id: int) -> HttpResponse:
    """The budget's totals and rule checks for the numbers being typed (htmx), without saving anything."""
    application = access.application_for_applicant(request.user, application_id)
    form = forms.BudgetForm(request.POST)
    formset = _cost_formset(application, request.POST)
    form.is_valid()
    formset.is_valid()
    budget = Budget.of(
        (amount for _, amount in forms.cost_lines_from(formset)),
        own_share=form.cleaned_data.get("own_share") or 0,
        other_funding=form.cleaned_data.get("other_funding") or 0,
        amount_applied=form.cleaned_data.get("amount_applied") or 0,
    )
    context = {"budget": budget, "budget_problems": budget.problems(application.call.rules), "call": application.call}
    return render(request, "grants/_budget_totals.html", context)


def _case_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    user = request.user
    office_side = bool({Party.STAFF, Party.COORDINATOR} & workflow.parties(user, application))
    actions = workflow.APPLICATION.allowed_actions(application, user)
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "actions": [a for a in actions if a not in DECISIONS],
        "can_decide": bool(DECISIONS & set(actions)),
        "is_applicant": Party.APPLICANT in workflow.parties(user, application),
        "office_side": office_side,
        "budget": application.budget(),
        "message_form": forms.MessageForm(),
        "messages_list": application.messages.all(),
        "attachments": application.attachments.select_related("file"),
        "decision": getattr(application, "decision", None),
        "project": getattr(application, "project", None),
        "steps": STEPS,
    }
    if office_side:
        from kommunedialog.grants.views.assessment import assessment_context

        context.update(assessment_context(request, application))
        context["kommunebilde"] = public_profiles.for_municipality(application.municipality)
        context["earlier_grants"] = (
            Application.objects.filter(municipality=application.municipality, state=workflow.ApplicationState.APPROVED)
            .exclude(pk=application.pk)
            .select_related("call", "project")
            .order_by("-call__year")
        )
    return context


@login_required
@require_safe
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_viewer(request.user, application_id)
    return render(request, "grants/application.html", _case_context(request, the_application))


TRANSITIONS: dict[str, Callable[..., Any]] = {
    "submit": services.application_submit,
    "resubmit": services.application_resubmit,
    "withdraw": services.application_withdraw,
    "start_assessment": services.application_start_assessment,
    "recommend": services.application_recommend,
    "reopen_assessment": services.application_reopen_assessment,
}
WITH_MESSAGE: dict[str, tuple[Callable[..., Any], str]] = {
    "return_for_correction": (services.application_return_for_correction, "reason"),
    "request_information": (services.application_request_information, "question"),
    "answer_information": (services.application_answer_information, "answer"),
}


@login_required
@require_POST
def application_transition(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """The workflow's buttons. Approve and reject have their own page (they need a decision)."""
    the_application = access.application_for_viewer(request.user, application_id)
    if action not in TRANSITIONS and action not in WITH_MESSAGE:
        raise Http404("No such action")
    try:
        if action in WITH_MESSAGE:
            service, argument = WITH_MESSAGE[action]
            form = forms.MessageForm(request.POST)
            if not form.is_valid():
                raise ValueError(_("Write the message first."))
            service(application=the_application, actor=request.user, **{argument: form.cleaned_data["text"]})
        else:
            TRANSITIONS[action](application=the_application, actor=request.user)
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        state = Application.objects.get(pk=the_application.pk).get_state_display()
        messages.success(request, _("Done: %(state)s.") % {"state": state})
    return redirect("grants:application", application_id=the_application.pk)


@login_required
@require_POST
def application_publication(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    form = forms.PublicationForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.application_set_publication(
            application=the_application, actor=request.user, publish=form.cleaned_data["publish"]
        )
    except REFUSALS as refused:
        refuse(request, refused)
    return redirect("grants:application", application_id=the_application.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_applicant(request.user, application_id)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                application=the_application,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except UploadRejected as rejected:
            form.add_error("file", rejected)
        except REFUSALS as refused:
            refuse(request, refused)
            return redirect("grants:application", application_id=the_application.pk)
        else:
            messages.success(request, _("The attachment is added."))
            return redirect("grants:application_step", application_id=the_application.pk, step="vedlegg")
    return render(
        request,
        "grants/application_step.html",
        _step_context(the_application, BY_SLUG["vedlegg"], attachment_form=form, user=request.user),
        status=400,
    )


@login_required
@require_safe
def attachment(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponseBase:
    """For the municipalities in the application and the office; 404 to anyone else."""
    the_application = access.application_for_viewer(request.user, application_id)
    return file_response(access.attachment_of(the_application, attachment_id).file)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    the_application = access.application_for_applicant(request.user, application_id)
    try:
        services.attachment_remove(attachment=access.attachment_of(the_application, attachment_id), actor=request.user)
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        messages.success(request, _("The attachment is removed."))
    return redirect("grants:application_step", application_id=the_application.pk, step="vedlegg")


@login_required
@require_POST
def attachment_publication(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    form = forms.PublicationForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.attachment_set_publication(
            attachment=access.attachment_of(the_application, attachment_id),
            actor=request.user,
            publish=form.cleaned_data["publish"],
        )
    except REFUSALS as refused:
        refuse(request, refused)
    return redirect("grants:application", application_id=the_application.pk)
