"""Calls: the coordinator creates, edits and moves them; staff follow the applications in them;
municipality users start an application in an open call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.accounts.models import Role
from kommunedialog.core.actors import person
from kommunedialog.core.submission import offers, press, submit
from kommunedialog.core.tasks import enqueue_unless_pending, preparing_response
from kommunedialog.grants import access, archive, forms, services, tasks
from kommunedialog.grants.models import Call
from kommunedialog.grants.states import ApplicationState, CallState
from kommunedialog.grants.workflow import CALL
from kommunedialog.registry.models import Municipality, Office


def _call_form_context(form: Any, formset: Any, **extra: Any) -> dict[str, Any]:
    return {"form": form, "formset": formset, **extra}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    offices = account_access.offices_for(request.user, Role.COORDINATOR)
    if not offices:
        raise Http404("No office")
    office = Office.objects.get(pk=sorted(offices)[0])
    form = forms.CallForm(request.POST or None)
    formset = forms.CriterionFormSet(request.POST or None, initial=forms.criteria_initial(None, 3), prefix="criteria")
    if request.method == "POST":
        outcome = (
            submit(
                form,
                lambda: services.call_create(
                    office=office, actor=person(request), spec=form.spec(forms.criteria_from(formset))
                ),
            )
            if formset.is_valid()
            else None
        )
        if outcome is not None and outcome.saved and outcome.result is not None:
            messages.success(request, _("The call is saved as a draft."))
            return redirect("grants:call_show", call_id=outcome.result.pk)
        form.is_valid()
        return render(request, "grants/call_form.html", _call_form_context(form, formset, office=office), status=400)
    return render(request, "grants/call_form.html", _call_form_context(form, formset, office=office))


def _frame_use(the_call: Call, applications: Any) -> dict[str, int]:
    """How much of the frame is decided, recommended (awaiting the decision) and left."""
    recommended = 0
    for a in applications:
        if a.state == ApplicationState.RECOMMENDED:
            amounts = [r.recommended_amount for r in a.reviews.all() if r.recommended_amount]
            recommended += max(amounts, default=a.amount_applied)
    return {
        "approved": the_call.approved_total,
        "recommended": recommended,
        "left_after_recommended": the_call.remaining - recommended,
    }


def _call_context(request: HttpRequest, the_call: Call, **step_forms: Any) -> dict[str, Any]:
    applications = (
        access.applications_for_office(request.user)
        .filter(call=the_call)
        .annotate(reviews_count=Count("reviews"))
        .prefetch_related("reviews")
        .order_by("municipality__name_norwegian", "pk")
    )
    counts = {s.value: n for s in ApplicationState if (n := sum(1 for a in applications if a.state == s.value))}
    return {
        "call": the_call,
        "criteria": the_call.criteria.all(),
        "applications": applications,
        "counts": [(ApplicationState(k).label, v) for k, v in counts.items()],
        "frame_use": _frame_use(the_call, applications),
        "offers": offers(
            CALL.allowed(the_call, person(request)),
            url=lambda action: reverse("grants:call_take_step", args=[the_call.pk, action]),
            step_forms={"extend_deadline": forms.DeadlineForm(auto_id="deadline_%s"), **step_forms},
        ),
        "problems": the_call.publication_problems() if the_call.state == CallState.DRAFT else [],
        "is_coordinator": account_access.is_office_member(request.user, the_call.office, Role.COORDINATOR),
    }


@login_required
@require_safe
def call_show(request: HttpRequest, call_id: int) -> HttpResponse:
    the_call = access.call_for_office(request.user, call_id)
    return render(request, "grants/call.html", _call_context(request, the_call))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def call_edit(request: HttpRequest, call_id: int) -> HttpResponse:
    the_call = access.call_for_office(request.user, call_id, Role.COORDINATOR)
    if the_call.state != CallState.DRAFT:
        raise Http404("Only a draft call is edited")
    initial = forms.call_initial(the_call)
    form = forms.CallEditForm(request.POST or None, initial=initial)
    formset = forms.CriterionFormSet(request.POST or None, initial=forms.criteria_initial(the_call), prefix="criteria")
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            outcome = submit(
                form,
                lambda: services.call_update(
                    call=the_call,
                    actor=person(request),
                    expected_version=form.cleaned_data["version"],
                    spec=form.spec(forms.criteria_from(formset)),
                ),
            )
            if outcome.saved:
                messages.success(request, _("Saved."))
                return redirect("grants:call_show", call_id=the_call.pk)
            status, conflict = outcome.status, outcome.conflict
    return render(
        request,
        "grants/call_form.html",
        _call_form_context(form, formset, call=the_call, office=the_call.office, conflict=conflict),
        status=status,
    )


CALL_ACTIONS: dict[str, Callable[..., Call]] = {
    "publish": services.call_publish,
    "close": services.call_close,
    "allocate": services.call_allocate,
    "archive": services.call_archive,
}


@login_required
@require_POST
def call_take_step(request: HttpRequest, call_id: int, action: str) -> HttpResponse:
    the_call = access.call_for_office(request.user, call_id)
    if action == "extend_deadline":
        return _extend_deadline(request, the_call)
    if action not in CALL_ACTIONS:
        raise Http404("No such action")
    moved = press(request, lambda: CALL_ACTIONS[action](call=the_call, actor=person(request)))
    if moved is not None:
        messages.success(request, _("Done: %(state)s.") % {"state": moved.get_state_display()})
    return redirect("grants:call_show", call_id=the_call.pk)


def _extend_deadline(request: HttpRequest, the_call: Call) -> HttpResponse:
    form = forms.DeadlineForm(request.POST, auto_id="deadline_%s")
    outcome = submit(
        form,
        lambda: services.call_extend_deadline(
            call=the_call, actor=person(request), deadline=form.cleaned_data["deadline"]
        ),
    )
    if outcome.saved:
        messages.success(
            request,
            _("The deadline is moved. Municipalities with an application not yet submitted are told by e-mail."),
        )
        return redirect("grants:call_show", call_id=the_call.pk)
    the_call.refresh_from_db()
    context = _call_context(request, the_call, extend_deadline=form)
    return render(request, "grants/call.html", context, status=outcome.status)


@login_required
@require_safe
def call_archive_export(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call's cases for the archive (ZIP, docs/grants.md "Archive export"). Letters are rendered by
    the worker, never here: while one is missing, it is asked for and the page says the file is coming."""
    the_call = access.call_for_office(request.user, call_id, Role.COORDINATOR)
    missing = archive.letters_missing(the_call)
    for decision_id in missing:
        enqueue_unless_pending(tasks.render_decision_letter, decision_id=decision_id)
    if archive.letters_missing(the_call):  # as they will be, unless tasks run where they are enqueued
        return preparing_response(
            request,
            title=_("Archive export"),
            back_url=reverse("grants:call_show", args=[the_call.pk]),
            back_label=the_call.title,
        )
    response = HttpResponse(archive.export(the_call), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="prosjektskjonn-arkiv-{the_call.pk}.zip"'
    return response


@login_required
@require_POST
def application_start(request: HttpRequest, call_id: int) -> HttpResponse:
    """Start a draft in an open call, for one of the user's own municipalities (the first if not chosen)."""
    the_call = access.call_for_applicant(request.user, call_id)
    own = Municipality.objects.current().filter(
        pk__in=account_access.municipality_ids_for(request.user), county__office=the_call.office
    )
    chosen = own.filter(number=request.POST.get("municipality", "")).first() or own.order_by("number").first()
    if chosen is None:
        raise Http404("No municipality of yours in this call's area")
    application = press(
        request, lambda: services.application_start(call=the_call, actor=person(request), municipality=chosen)
    )
    if application is None:
        return redirect("grants:portal_show")
    return redirect("grants:application_edit_step", application_id=application.pk, step="soker")
