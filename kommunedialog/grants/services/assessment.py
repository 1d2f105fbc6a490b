"""Assessment and decision: reviewers declare conflicts of interest before they score, a recommendation
moves the application on, and the coordinator approves or rejects. The sum of approvals in a call can
never pass its frame, also when two coordinators approve at the same moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import Person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.refusal import Refused
from kommunedialog.core.workflow import OFFICE
from kommunedialog.grants import tasks
from kommunedialog.grants.budget import format_nok
from kommunedialog.grants.models import (
    Application,
    Call,
    Decision,
    Outcome,
    Project,
    Recommendation,
    Report,
    ReportKind,
    Review,
    Score,
)
from kommunedialog.grants.notify import language_for
from kommunedialog.grants.services._common import next_case_reference, require_party
from kommunedialog.grants.states import ApplicationState
from kommunedialog.grants.workflow import APPLICATION

# Reviewers work while the office holds the application (and while the applicant answers a question).
REVIEWABLE = frozenset({ApplicationState.UNDER_ASSESSMENT, ApplicationState.INFO_REQUESTED})


class ConflictOfInterest(Refused):
    """The reviewer has declared a conflict of interest (or not declared yet) and may not score."""


class FrameExceeded(Refused):
    def __init__(self, *, frame: int, approved: int, amount: int) -> None:
        super().__init__(
            _(
                "Approving NOK %(amount)s would bring the call's approvals to NOK %(total)s, "
                "above its frame of NOK %(frame)s"
            )
            % {"amount": format_nok(amount), "total": format_nok(approved + amount), "frame": format_nok(frame)},
            field="amount",
            action="approve",
        )
        self.frame, self.approved, self.amount = frame, approved, amount


def _lock_reviewable(application: Application, actor: Person) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require_party(actor, locked, OFFICE)
    if locked.state not in REVIEWABLE:
        raise Refused(
            _("An application that is “%(state)s” is not being assessed") % {"state": locked.get_state_display()}
        )
    return locked


def review_declare(*, application: Application, actor: Person, conflict: bool, note: str = "") -> Review:
    """The reviewer's declaration of conflict of interest (forvaltningsloven § 6). Declaring a conflict
    removes any scores the reviewer gave: they no longer count."""
    if conflict and not note.strip():
        raise Refused(_("Say briefly what the conflict of interest is"))
    with transaction.atomic():
        locked = _lock_reviewable(application, actor)
        review, _created = Review.objects.select_for_update().get_or_create(application=locked, reviewer=actor)
        before = {"conflict": review.conflict, "scores": review.scores.count()}
        review.conflict, review.conflict_note, review.declared_at = conflict, note, timezone.now()
        if conflict:
            review.scores.all().delete()
            review.recommendation, review.recommended_amount, review.recommendation_text = "", None, ""
        review.save()
        audit.record(
            actor=actor,
            obj=review,
            action=AuditAction.GRANT_REVIEW_DECLARE,
            before=before,
            after={"conflict": conflict, "scores": review.scores.count()},
        )
    return review


def review_score(
    *,
    application: Application,
    actor: Person,
    scores: Mapping[int, tuple[int, str]],
    recommendation: str,
    recommended_amount: int | None,
    text: str,
) -> Review:
    """Score every criterion (0–5, with a comment) and recommend. Raises ConflictOfInterest unless the
    reviewer has declared that they have none."""
    if recommendation not in Recommendation.values:
        raise Refused(_("Choose a recommendation"))
    if not text.strip():
        raise Refused(_("Give the reasons for the recommendation"))
    if any(not 0 <= score <= 5 for score, _comment in scores.values()):
        raise Refused(_("Scores run from 0 to 5"))
    with transaction.atomic():
        locked = _lock_reviewable(application, actor)
        review = Review.objects.select_for_update().filter(application=locked, reviewer=actor).first()
        if review is None or review.conflict is None:
            raise ConflictOfInterest(_("Declare whether you have a conflict of interest before you score"))
        if review.conflict:
            raise ConflictOfInterest(_("You have declared a conflict of interest and cannot score this application"))
        criteria = {c.pk: c for c in locked.call.criteria.all()}
        if set(scores) != set(criteria):
            raise Refused(_("Score every criterion of the call"))
        if recommendation == Recommendation.APPROVE:
            recommended_amount = locked.amount_applied
        elif recommendation == Recommendation.REJECT:
            recommended_amount = None
        elif not recommended_amount or not 0 < recommended_amount < locked.amount_applied:
            raise Refused(_("A lower amount must be more than zero and less than the amount applied for"))
        before = {
            "scores": {s.criterion_id: s.score for s in review.scores.all()},
            "recommendation": review.recommendation,
        }
        for criterion_id, (score, comment) in scores.items():
            Score.objects.update_or_create(
                review=review, criterion=criteria[criterion_id], defaults={"score": score, "comment": comment}
            )
        review.recommendation, review.recommended_amount, review.recommendation_text = (
            recommendation,
            recommended_amount,
            text,
        )
        review.save()
        audit.record(
            actor=actor,
            obj=review,
            action=AuditAction.GRANT_REVIEW_SCORE,
            before=before,
            after={
                "scores": {k: v[0] for k, v in scores.items()},
                "recommendation": recommendation,
                "recommended_amount": recommended_amount,
            },
        )
    return review


def application_recommend(*, application: Application, actor: Person) -> Application:
    return APPLICATION.apply(application, "recommend", actor=actor)


def application_reopen_assessment(*, application: Application, actor: Person) -> Application:
    return APPLICATION.apply(application, "reopen_assessment", actor=actor)


def _record_decision(
    decided: Application,
    actor: Person,
    *,
    outcome: Outcome,
    amount: int,
    reasons: str,
    conditions: str = "",
    interim_report_due: dt.date | None = None,
    final_report_due: dt.date | None = None,
) -> Decision:
    """The decision on an application the workflow has just moved (inside the caller's transaction);
    the letter is rendered and the municipality told once it commits. What the letter must state under
    forvaltningsloven §§ 24–27 is fixed here: the case reference, the case officer and the assessment."""
    if not decided.case_reference:  # submitted before the office numbered its cases
        decided.case_reference = next_case_reference(decided.call.office)
        decided.save(update_fields=["case_reference"])
    reviews = [r for r in decided.reviews.select_related("reviewer").prefetch_related("scores") if r.is_complete]
    officer = reviews[0].reviewer if reviews else actor
    decision = Decision.objects.create(
        case_reference=decided.case_reference,
        case_officer=officer,
        case_officer_name=officer.get_full_name() or officer.get_username(),
        case_officer_email=officer.email,
        assessment_summary="\n\n".join(r.recommendation_text.strip() for r in reviews if r.recommendation_text.strip()),
        application=decided,
        outcome=outcome,
        amount=amount,
        reasons=reasons,
        conditions=conditions,
        interim_report_due=interim_report_due,
        final_report_due=final_report_due,
        decided_by=actor,
        decided_at=timezone.now(),
        language=language_for(decided.municipality),
    )
    audit.record(
        actor=actor,
        obj=decision,
        action=AuditAction.GRANT_DECISION_APPROVED
        if outcome == Outcome.APPROVED
        else AuditAction.GRANT_DECISION_REJECTED,
        after={"amount": amount, "interim_report_due": interim_report_due, "final_report_due": final_report_due},
    )
    transaction.on_commit(lambda: tasks.announce_decision.enqueue(decision_id=decision.pk))
    return decision


def application_approve(
    *,
    application: Application,
    actor: Person,
    amount: int,
    reasons: str,
    conditions: str = "",
    interim_report_due: dt.date | None = None,
    final_report_due: dt.date,
) -> Decision:
    """Approve ``amount`` (at most the amount applied for) and create the project with its reports.

    The call's row is locked first, so concurrent approvals in one call queue up and each sees the
    others' sums; the guarded increment below repeats the check in SQL, which is also what serialises
    approvals on SQLite (it ignores FOR UPDATE). A refusal after the move rolls the move back with it.
    """
    if not reasons.strip():
        raise Refused(_("Give the reasons for the decision"), field="reasons")
    if interim_report_due and interim_report_due >= final_report_due:
        raise Refused(_("The interim report must be due before the final report"), field="interim_report_due")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        decided = APPLICATION.apply(application, "approve", actor=actor)
        if not 0 < amount <= decided.amount_applied:
            raise Refused(_("The amount must be more than zero and at most the amount applied for"), field="amount")
        grown = Call.objects.filter(pk=call.pk, approved_total__lte=F("frame") - amount).update(
            approved_total=F("approved_total") + amount
        )
        if not grown:
            raise FrameExceeded(frame=call.frame, approved=call.approved_total, amount=amount)
        decision = _record_decision(
            decided,
            actor,
            outcome=Outcome.APPROVED,
            amount=amount,
            reasons=reasons,
            conditions=conditions,
            interim_report_due=interim_report_due,
            final_report_due=final_report_due,
        )
        assert decided.period_start is not None
        assert decided.period_end is not None
        project = Project.objects.create(
            application=decided,
            amount_awarded=amount,
            period_start=decided.period_start,
            period_end=decided.period_end,
        )
        if interim_report_due:
            Report.objects.create(project=project, kind=ReportKind.INTERIM, due_on=interim_report_due)
        Report.objects.create(project=project, kind=ReportKind.FINAL, due_on=final_report_due)
        audit.record(
            actor=actor,
            obj=project,
            action=AuditAction.GRANT_PROJECT_CREATE,
            after={"amount": amount, "period": [decided.period_start, decided.period_end]},
        )
    return decision


def application_reject(*, application: Application, actor: Person, reasons: str) -> Decision:
    if not reasons.strip():
        raise Refused(_("Give the reasons for the decision"), field="reasons")
    with transaction.atomic():
        decided = APPLICATION.apply(application, "reject", actor=actor)
        return _record_decision(decided, actor, outcome=Outcome.REJECTED, amount=0, reasons=reasons)
