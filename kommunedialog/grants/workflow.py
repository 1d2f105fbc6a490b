"""Prosjektskjønn workflows as tables: state, action, who may take it, and what must hold first.

    call         draft → published → closed (the deadline passed) → allocated → archived
    application  draft → submitted ⇄ returned; submitted → under assessment ⇄ more information requested
                 → recommended → approved / rejected; withdrawn by the applicant before assessment
    report       draft → submitted ⇄ returned → approved → published
    project      active ⇄ final report delivered → closed
    change       submitted → approved / rejected

Who acts is a *party* to the document, not a bare role: the applicant is a municipality user of the
lead municipality; staff and coordinators act only in the office that owns the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role

if TYPE_CHECKING:
    import datetime as dt

    from kommunedialog.grants.models import Application, Call, ChangeRequest, Project, Report


class CallState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    PUBLISHED = "published", gettext_lazy("Open for applications")
    CLOSED = "closed", gettext_lazy("Closed for applications")
    ALLOCATED = "allocated", gettext_lazy("Allocated")
    ARCHIVED = "archived", gettext_lazy("Archived")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    RETURNED = "returned", gettext_lazy("Returned for correction")
    UNDER_ASSESSMENT = "under_assessment", gettext_lazy("Under assessment")
    INFO_REQUESTED = "info_requested", gettext_lazy("More information requested")
    RECOMMENDED = "recommended", gettext_lazy("Recommended")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


# Applications the office has not decided on yet; a call cannot be allocated while any remain.
UNDECIDED = frozenset(
    {
        ApplicationState.SUBMITTED,
        ApplicationState.RETURNED,
        ApplicationState.UNDER_ASSESSMENT,
        ApplicationState.INFO_REQUESTED,
        ApplicationState.RECOMMENDED,
    }
)


class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    RETURNED = "returned", gettext_lazy("Returned for correction")
    APPROVED = "approved", gettext_lazy("Accepted")
    PUBLISHED = "published", gettext_lazy("Published")


class ProjectState(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    FINAL_REPORT_DELIVERED = "final_report_delivered", gettext_lazy("Final report delivered")
    CLOSED = "closed", gettext_lazy("Closed")


class ChangeRequestState(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")


class Party(StrEnum):
    APPLICANT = "applicant"  # a municipality user of the lead municipality
    STAFF = "staff"  # staff of the office that owns the call
    COORDINATOR = "coordinator"  # the coordinator of that office


APPLICANT = frozenset({Party.APPLICANT})
OFFICE = frozenset({Party.STAFF, Party.COORDINATOR})
COORDINATOR = frozenset({Party.COORDINATOR})
SYSTEM: frozenset[Party] = frozenset()  # only the system itself (the deadline task, a report's own workflow)


class TransitionRefused(Exception):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"{action}: {reason}")
        self.action = action
        self.reason = reason


def parties(actor: Any, obj: Any) -> set[Party]:
    """The parties ``actor`` is to ``obj`` (anything with ``grant_scope()``: office and lead municipality)."""
    office, municipality = obj.grant_scope()
    found = set()
    if municipality is not None and municipality.pk in access.municipality_ids_for(actor):
        found.add(Party.APPLICANT)
    if access.is_office_member(actor, office, Role.STAFF):
        found.add(Party.STAFF)
    if access.is_office_member(actor, office, Role.COORDINATOR):
        found.add(Party.COORDINATOR)
    return found


def _no_guard(obj: Any) -> str | None:
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset[str]
    target: str
    parties: frozenset[Party]
    guard: Callable[[Any], str | None] = _no_guard


@dataclass(frozen=True)
class Workflow:
    name: str
    transitions: tuple[Transition, ...]

    @property
    def by_action(self) -> dict[str, Transition]:
        return {t.action: t for t in self.transitions}

    def check(self, obj: Any, action: str, actor: Any | None) -> Transition:
        """The transition if ``actor`` may take it now, else TransitionRefused saying why. ``actor`` None
        is the system."""
        transition = self.by_action.get(action)
        if transition is None:
            raise TransitionRefused(action, _("No such action"))
        if obj.state not in transition.source:
            raise TransitionRefused(
                action, _("Not allowed while the state is “%(state)s”") % {"state": obj.get_state_display()}
            )
        if actor is None:
            if transition.parties:
                raise TransitionRefused(action, _("Needs a person with a role in the case"))
        elif not transition.parties & parties(actor, obj):
            raise TransitionRefused(action, _("Your role does not allow this"))
        reason = transition.guard(obj)
        if reason:
            raise TransitionRefused(action, reason)
        return transition

    def allowed_actions(self, obj: Any, actor: Any) -> list[str]:
        """The actions the actor could take now (for buttons); guards included."""
        actions = []
        for transition in self.transitions:
            try:
                self.check(obj, transition.action, actor)
            except TransitionRefused:
                continue
            actions.append(transition.action)
        return actions


# Guards: each returns the reason the move is refused, or None.


def _call_ready(call: Call) -> str | None:
    problems = call.publication_problems()
    return "; ".join(problems) if problems else None


def _deadline_passed(call: Call) -> str | None:
    return None if timezone.localdate() > call.deadline else _("The deadline has not passed yet")


def _all_decided(call: Call) -> str | None:
    open_count = call.applications.filter(state__in=UNDECIDED).count()
    if open_count:
        return _("%(n)s applications still await a decision") % {"n": open_count}
    return None


def _open_for_submission(application: Application) -> str | None:
    call = application.call
    if call.state != CallState.PUBLISHED:
        return _("The call is not open for applications")
    if timezone.localdate() > call.deadline:
        return _("The deadline has passed")
    return _complete(application)


def _open_for_resubmission(application: Application) -> str | None:
    if application.call.state not in {CallState.PUBLISHED, CallState.CLOSED}:
        return _("The call no longer takes corrections")
    return _complete(application)


def _complete(application: Application) -> str | None:
    problems = application.submission_problems()
    return "; ".join(problems) if problems else None


def _has_complete_review(application: Application) -> str | None:
    if any(review.is_complete for review in application.reviews.prefetch_related("scores")):
        return None
    return _("At least one reviewer without a conflict of interest must score every criterion and recommend")


def _call_closed(application: Application) -> str | None:
    if application.call.state != CallState.CLOSED:
        return _("Decisions are made after the deadline, while the call is closed")
    return None


def _report_complete(report: Report) -> str | None:
    problems = report.submission_problems()
    return "; ".join(problems) if problems else None


def _final_report_approved(project: Project) -> str | None:
    final = project.final_report
    if final is None or final.state not in {ReportState.APPROVED, ReportState.PUBLISHED}:
        return _("The final report must be approved first")
    return None


def change_problem(
    project: Project, *, new_period_end: dt.date | None, new_final_report_due: dt.date | None
) -> str | None:
    """Why a change to ``project`` cannot be asked for or approved now, or None. Asked both when the
    municipality sends the request and when the office approves it, since approval applies it at once and
    the project or the calendar may have moved in between."""
    if project.state != ProjectState.ACTIVE:
        return _("Only an active project can be changed (this one is “%(state)s”)") % {
            "state": project.get_state_display()
        }
    if new_period_end and new_period_end < project.period_start:
        return _("The project cannot end before it starts")
    if new_final_report_due and new_final_report_due < timezone.localdate():
        return _("The new due date for the final report cannot be in the past")
    # A longer period with the old report date would ask for the final report while work goes on.
    end = new_period_end or project.period_end
    due = new_final_report_due or (
        project.reports.filter(kind="final").values_list("due_on", flat=True).first()  # ReportKind.FINAL
    )
    if due is not None and due < end:
        return _("The final report cannot be due before the project ends (%(end)s): give a new due date for it") % {
            "end": date_format(end, "j. F Y")
        }
    return None


def _change_applicable(change: ChangeRequest) -> str | None:
    return change_problem(
        change.project, new_period_end=change.new_period_end, new_final_report_due=change.new_final_report_due
    )


CALL = Workflow(
    "call",
    (
        Transition("publish", frozenset({CallState.DRAFT}), CallState.PUBLISHED, COORDINATOR, _call_ready),
        Transition("close", frozenset({CallState.PUBLISHED}), CallState.CLOSED, SYSTEM, _deadline_passed),
        Transition("allocate", frozenset({CallState.CLOSED}), CallState.ALLOCATED, COORDINATOR, _all_decided),
        Transition("archive", frozenset({CallState.ALLOCATED}), CallState.ARCHIVED, COORDINATOR),
    ),
)

A = ApplicationState
APPLICATION = Workflow(
    "application",
    (
        Transition("submit", frozenset({A.DRAFT}), A.SUBMITTED, APPLICANT, _open_for_submission),
        Transition("withdraw", frozenset({A.DRAFT, A.SUBMITTED, A.RETURNED}), A.WITHDRAWN, APPLICANT),
        Transition("return_for_correction", frozenset({A.SUBMITTED}), A.RETURNED, OFFICE),
        Transition("resubmit", frozenset({A.RETURNED}), A.SUBMITTED, APPLICANT, _open_for_resubmission),
        Transition("start_assessment", frozenset({A.SUBMITTED}), A.UNDER_ASSESSMENT, OFFICE),
        Transition("request_information", frozenset({A.UNDER_ASSESSMENT}), A.INFO_REQUESTED, OFFICE),
        Transition("answer_information", frozenset({A.INFO_REQUESTED}), A.UNDER_ASSESSMENT, APPLICANT),
        Transition("recommend", frozenset({A.UNDER_ASSESSMENT}), A.RECOMMENDED, OFFICE, _has_complete_review),
        Transition("reopen_assessment", frozenset({A.RECOMMENDED}), A.UNDER_ASSESSMENT, COORDINATOR),
        Transition("approve", frozenset({A.RECOMMENDED}), A.APPROVED, COORDINATOR, _call_closed),
        # Also from returned and info-requested once the call is closed: a municipality that never comes
        # back must not keep the call from being allocated.
        Transition(
            "reject", frozenset({A.RECOMMENDED, A.RETURNED, A.INFO_REQUESTED}), A.REJECTED, COORDINATOR, _call_closed
        ),
    ),
)

R = ReportState
REPORT = Workflow(
    "report",
    (
        Transition("submit", frozenset({R.DRAFT, R.RETURNED}), R.SUBMITTED, APPLICANT, _report_complete),
        Transition("return", frozenset({R.SUBMITTED}), R.RETURNED, OFFICE),
        Transition("approve", frozenset({R.SUBMITTED}), R.APPROVED, OFFICE),
        Transition("publish", frozenset({R.APPROVED}), R.PUBLISHED, OFFICE),
    ),
)

P = ProjectState
PROJECT = Workflow(
    "project",
    (
        # Moved by the final report's own workflow: submitted → delivered, returned → active again.
        Transition("deliver_final_report", frozenset({P.ACTIVE}), P.FINAL_REPORT_DELIVERED, SYSTEM),
        Transition("reopen", frozenset({P.FINAL_REPORT_DELIVERED}), P.ACTIVE, SYSTEM),
        Transition("close", frozenset({P.FINAL_REPORT_DELIVERED}), P.CLOSED, OFFICE, _final_report_approved),
    ),
)

C = ChangeRequestState
CHANGE_REQUEST = Workflow(
    "change_request",
    (
        Transition("approve", frozenset({C.SUBMITTED}), C.APPROVED, OFFICE, _change_applicable),
        # No guard: a request the project has outgrown can still be answered.
        Transition("reject", frozenset({C.SUBMITTED}), C.REJECTED, OFFICE),
    ),
)
