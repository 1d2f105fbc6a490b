"""The application: the municipality's multi-step form, the case page both sides see, its attachments
and the workflow buttons. Each view: a permission-checked getter, one service call, a page or a fragment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.core.actors import person
from kommunedialog.core.submission import press, submit
from kommunedialog.core.uploads import file_response
from kommunedialog.grants import access, forms, services
from kommunedialog.grants.budget import Budget
from kommunedialog.grants.models import Application
from kommunedialog.grants.views.case import BY_SLUG, FORM_STEPS, STEP_FORMS, FormStep, case_context
from kommunedialog.grants.workflow import APPLICATION


def _next_step(step: FormStep) -> FormStep:
    return FORM_STEPS[min(FORM_STEPS.index(step) + 1, len(FORM_STEPS) - 1)]


def _step_form(step: FormStep, application: Application, data: Any = None) -> Any:
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


def _save_step(step: FormStep, application: Application, request: HttpRequest, form: Any, formset: Any) -> Application:
    data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "confirm"}}
    version = form.cleaned_data["version"]
    actor = person(request)
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


def _step_context(application: Application, step: FormStep, **extra: Any) -> dict[str, Any]:
    budget = application.budget()
    return {
        "application": application,
        "call": application.call,
        "steps": FORM_STEPS,
        "step": step,
        "next_step": _next_step(step),
        "budget": budget,
        "budget_problems": budget.problems(application.call.rules),
        "attachment_form": forms.AttachmentForm(),
        "problems": application.submission_problems() if step.slug == "send" else [],
        "editable": application.state in services.applications.EDITABLE,
        "attachable": application.state in services.applications.ATTACHABLE,
        "submit_step": next(
            (st for st in APPLICATION.allowed(application, extra["user"]) if st.action in {"submit", "resubmit"}), None
        ),
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit_step(request: HttpRequest, application_id: int, step: str) -> HttpResponse:
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
        if formset is not None and not formset.is_valid():
            status = 400
        else:
            outcome = submit(form, lambda: _save_step(the_step, application, request, form, formset))
            if outcome.saved:
                messages.success(request, _("Saved."))
                return redirect(
                    "grants:application_edit_step", application_id=application.pk, step=_next_step(the_step).slug
                )
            status, conflict = outcome.status, outcome.conflict
            application.refresh_from_db()
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


@login_required
@require_safe
def application_show(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_viewer(request.user, application_id)
    return render(request, "grants/application.html", case_context(request, the_application))


STEP_SERVICES: dict[str, Callable[..., Application]] = {
    "submit": services.application_submit,
    "resubmit": services.application_resubmit,
    "withdraw": services.application_withdraw,
    "return_for_correction": services.application_return_for_correction,
    "start_assessment": services.application_start_assessment,
    "request_information": services.application_request_information,
    "answer_information": services.application_answer_information,
    "recommend": services.application_recommend,
    "reopen_assessment": services.application_reopen_assessment,
}


@login_required
@require_POST
def application_take_step(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """A workflow step from the case page, with its message where the step needs one."""
    the_application = access.application_for_viewer(request.user, application_id)
    service = STEP_SERVICES.get(action)
    if service is None:
        raise Http404("No such step")
    form_class = STEP_FORMS.get(action, djforms.Form)
    form = form_class(request.POST, auto_id=f"{action}_%s")
    outcome = submit(form, lambda: service(application=the_application, actor=person(request), **form.cleaned_data))
    if outcome.saved and outcome.result is not None:
        messages.success(request, _("Done: %(state)s.") % {"state": outcome.result.get_state_display()})
        return redirect("grants:application_show", application_id=the_application.pk)
    context = case_context(request, the_application, step_forms={action: form})
    return render(request, "grants/application.html", context, status=outcome.status)


@login_required
@require_POST
def application_set_publication(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    form = forms.PublicationForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    press(
        request,
        lambda: services.application_set_publication(
            application=the_application, actor=person(request), publish=form.cleaned_data["publish"]
        ),
    )
    return redirect("grants:application_show", application_id=the_application.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_applicant(request.user, application_id)
    form = forms.AttachmentForm(request.POST, request.FILES)
    outcome = submit(
        form,
        lambda: services.attachment_add(
            application=the_application,
            actor=person(request),
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        ),
    )
    if outcome.saved:
        messages.success(request, _("The attachment is added."))
        return redirect("grants:application_edit_step", application_id=the_application.pk, step="vedlegg")
    return render(
        request,
        "grants/application_step.html",
        _step_context(the_application, BY_SLUG["vedlegg"], attachment_form=form, user=request.user),
        status=400,
    )


@login_required
@require_safe
def attachment_download(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponseBase:
    """For the municipalities in the application and the office; 404 to anyone else."""
    the_application = access.application_for_viewer(request.user, application_id)
    return file_response(access.attachment_of(the_application, attachment_id).file)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    the_application = access.application_for_applicant(request.user, application_id)
    removed = press(
        request,
        lambda: services.attachment_remove(
            attachment=access.attachment_of(the_application, attachment_id), actor=person(request)
        ),
    )
    if removed is not None:
        messages.success(request, _("The attachment is removed."))
    return redirect("grants:application_edit_step", application_id=the_application.pk, step="vedlegg")


@login_required
@require_POST
def attachment_set_publication(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    form = forms.PublicationForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    press(
        request,
        lambda: services.attachment_set_publication(
            attachment=access.attachment_of(the_application, attachment_id),
            actor=person(request),
            publish=form.cleaned_data["publish"],
        ),
    )
    return redirect("grants:application_show", application_id=the_application.pk)
