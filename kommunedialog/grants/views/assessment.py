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
from kommunedialog.core.actors import Person, person
from kommunedialog.core.submission import submit
from kommunedialog.core.tasks import enqueue_unless_pending, preparing_response
from kommunedialog.grants import access, forms, letter, services, tasks
from kommunedialog.grants.models import Application, Decision, Review
from kommunedialog.grants.views.case import case_context
from kommunedialog.grants.workflow import APPLICATION


def _render_case(request: HttpRequest, application: Application, status: int, **bound: Any) -> HttpResponse:
    return render(request, "grants/application.html", case_context(request, application, **bound), status=status)


@login_required
@require_POST
def review_declare(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    form = forms.ConflictForm(request.POST)
    outcome = submit(
        form,
        lambda: services.review_declare(
            application=the_application,
            actor=person(request),
            conflict=form.cleaned_data["conflict"],
            note=form.cleaned_data["note"],
        ),
    )
    if not outcome.saved:
        return _render_case(request, the_application, outcome.status, conflict_form=form)
    messages.success(request, _("Your declaration is recorded."))
    return redirect("grants:application_show", application_id=the_application.pk)


@login_required
@require_POST
def review_score(request: HttpRequest, application_id: int) -> HttpResponse:
    the_application = access.application_for_office(request.user, application_id)
    criteria = list(the_application.call.criteria.all())
    own = Review.objects.filter(application=the_application, reviewer_id=request.user.pk).first()
    form = forms.ScoreForm(request.POST, criteria=criteria, review=own)
    outcome = submit(
        form,
        lambda: services.review_score(
            application=the_application,
            actor=person(request),
            scores=form.scores(),
            recommendation=form.cleaned_data["recommendation"],
            recommended_amount=form.cleaned_data.get("recommended_amount"),
            text=form.cleaned_data["text"],
        ),
    )
    if not outcome.saved:
        return _render_case(request, the_application, outcome.status, score_form=form)
    messages.success(request, _("Your assessment is saved."))
    return redirect("grants:application_show", application_id=the_application.pk)


def _decide(application: Application, actor: Person, data: dict[str, Any]) -> Decision:
    if data["outcome"] == "approve":
        return services.application_approve(
            application=application,
            actor=actor,
            amount=data["amount"],
            reasons=data["reasons"],
            conditions=data["conditions"],
            interim_report_due=data["interim_report_due"],
            final_report_due=data["final_report_due"],
        )
    return services.application_reject(application=application, actor=actor, reasons=data["reasons"])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """The coordinator's decision: approve (perhaps a lower amount) or reject, with reasons."""
    the_application = access.application_for_office(request.user, application_id, Role.COORDINATOR)
    reviews = [r for r in the_application.reviews.prefetch_related("scores") if r.is_complete]
    recommended = next((r.recommended_amount for r in reviews if r.recommended_amount), None)
    form = forms.DecisionForm(
        request.POST or None,
        initial={
            "outcome": request.GET.get("outcome", ""),
            "amount": recommended or the_application.amount_applied,
            "final_report_due": the_application.period_end,
        },
    )
    status = 200
    if request.method == "POST":
        outcome = submit(form, lambda: _decide(the_application, person(request), form.cleaned_data))
        if outcome.saved:
            messages.success(
                request,
                _(
                    "The decision is made. The letter is being prepared; the municipality is told by e-mail when "
                    "it is ready."
                ),
            )
            return redirect("grants:application_show", application_id=the_application.pk)
        status = outcome.status
    steps = [s for s in APPLICATION.allowed(the_application, person(request)) if s.action in {"approve", "reject"}]
    return render(
        request,
        "grants/decide.html",
        {
            "application": the_application,
            "call": the_application.call,
            "form": form,
            "ready": any(s.ok for s in steps),
            "not_ready": [s.reason for s in steps if not s.ok],
            "reviews": reviews,
        },
        status=status,
    )


@login_required
@require_safe
def decision_letter_download(request: HttpRequest, application_id: int) -> HttpResponseBase:
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
            back_url=reverse("grants:application_show", args=[the_application.pk]),
            back_label=the_application.display_title,
        )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"vedtak-prosjektskjonn-{the_application.pk}.pdf",
    )
