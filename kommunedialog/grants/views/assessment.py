"""The office's assessment (conflict-of-interest declaration, scores, recommendation), the coordinator's
decision, and the decision letter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.accounts.models import Role
from kommunedialog.core.tasks import enqueue_unless_pending, preparing_response
from kommunedialog.grants import access, forms, letter, services, tasks, workflow
from kommunedialog.grants.models import Application, Review
from kommunedialog.grants.services.assessment import REVIEWABLE
from kommunedialog.grants.views._shared import REFUSALS, refusal_text, refuse


def _declared(review: Review | None) -> str | None:
    if review is None or review.conflict is None:
        return None
    return "yes" if review.conflict else "no"


def assessment_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    """The assessment panel beside the application, for the office only."""
    criteria = list(application.call.criteria.all())
    reviews = list(application.reviews.select_related("reviewer").prefetch_related("scores__criterion"))
    own = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    return {
        "criteria": criteria,
        "reviews": reviews,
        "own_review": own,
        "reviewable": application.state in REVIEWABLE,
        "conflict_form": extra.pop("conflict_form", None) or forms.ConflictForm(initial={"conflict": _declared(own)}),
        "score_form": extra.pop("score_form", None) or forms.ScoreForm(criteria=criteria, review=own),
        **extra,
    }


def _render_case(request: HttpRequest, application: Application, status: int, **extra: Any) -> HttpResponse:
    from kommunedialog.grants.views.applications import _case_context

    # The case context already holds the assessment panel (the office's view); the extras replace its forms.
    context = _case_context(request, application)
    context.update(extra)
    return render(request, "grants/application.html", context, status=status)


@login_required
@require_POST
def review_conflict(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    form = forms.ConflictForm(request.POST)
    if not form.is_valid():
        return _render_case(request, the_application, 400, conflict_form=form)
    try:
        services.review_declare(
            application=the_application,
            actor=request.user,
            conflict=form.cleaned_data["conflict"],
            note=form.cleaned_data["note"],
        )
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        messages.success(request, _("Your declaration is recorded."))
    return redirect("grants:application", application_id=the_application.pk)


@login_required
@require_POST
def review_score(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    criteria = list(the_application.call.criteria.all())
    own = Review.objects.filter(application=the_application, reviewer_id=request.user.pk).first()
    form = forms.ScoreForm(request.POST, criteria=criteria, review=own)
    if not form.is_valid():
        return _render_case(request, the_application, 400, score_form=form)
    try:
        services.review_score(
            application=the_application,
            actor=request.user,
            scores=form.scores(),
            recommendation=form.cleaned_data["recommendation"],
            recommended_amount=form.cleaned_data.get("recommended_amount"),
            text=form.cleaned_data["text"],
        )
    except REFUSALS as refused:
        refuse(request, refused)
    else:
        messages.success(request, _("Your assessment is saved."))
    return redirect("grants:application", application_id=the_application.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """The coordinator's decision: approve (perhaps a lower amount) or reject, with reasons."""
    the_application = access.application_for_office(request.user, application_id, Role.COORDINATOR)
    reviews = [r for r in the_application.reviews.prefetch_related("scores") if r.is_complete]
    recommended = next((r.recommended_amount for r in reviews if r.recommended_amount), None)
    form = forms.DecisionForm(
        request.POST or None,
        initial={
            "amount": recommended or the_application.amount_applied,
            "final_report_due": the_application.period_end,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "approve":
                services.application_approve(
                    application=the_application,
                    actor=request.user,
                    amount=data["amount"],
                    reasons=data["reasons"],
                    conditions=data["conditions"],
                    interim_report_due=data["interim_report_due"],
                    final_report_due=data["final_report_due"],
                )
            else:
                services.application_reject(application=the_application, actor=request.user, reasons=data["reasons"])
        except REFUSALS as refused:
            form.add_error(None, _("Not decided: %(reason)s") % {"reason": refusal_text(refused)})
        else:
            messages.success(
                request,
                _(
                    "The decision is made. The letter is being prepared; the municipality is told by e-mail when it is ready."
                ),
            )
            return redirect("grants:application", application_id=the_application.pk)
    ready = {"approve", "reject"} & set(workflow.APPLICATION.allowed_actions(the_application, request.user))
    return render(
        request,
        "grants/decide.html",
        {
            "application": the_application,
            "call": the_application.call,
            "form": form,
            "ready": bool(ready),
            "reviews": reviews,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def decision_letter(request: HttpRequest, application_id: int) -> HttpResponseBase:
    the_application = access.application_for_viewer(request.user, application_id)
    decision = getattr(the_application, "decision", None)
    if decision is None:
        raise Http404("No decision yet")
    path = letter.cache_path(decision)
    if not path.exists():
        # Rendering takes seconds: the worker does it (the decision queued it already; this asks again).
        enqueue_unless_pending(tasks.render_decision_letter, decision_id=decision.pk)
    if not path.exists():  # as it will not be yet, unless tasks run where they are enqueued
        return preparing_response(
            request,
            title=_("Decision letter"),
            back_url=reverse("grants:application", args=[the_application.pk]),
            back_label=the_application.display_title,
        )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"vedtak-prosjektskjonn-{the_application.pk}.pdf",
    )
