"""Prosjektskjønn workflows as tables: state, action, who may take it, and what must hold first.

    call         draft → published (its deadline moved later) → closed (the deadline passed: by the
                 scheduled task, or the coordinator) → allocated → archived
    application  draft → submitted ⇄ returned; submitted → under assessment ⇄ more information requested
                 → recommended → approved / rejected; withdrawn by the applicant before assessment
    report       draft → submitted ⇄ returned → approved → published
    project      active ⇄ final report delivered → closed
    change       submitted → approved / rejected

Who acts is a *party* to the document, not a bare role: the applicant is a municipality user of the
lead municipality; staff and coordinators act only in the office that owns the call. Rules about the
person (a declared conflict of interest; four eyes: whoever assessed does not decide) are guards like
any other, checked again under the row lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kommunedialog.accounts import access
from kommunedialog.core.actors import Actor, Person, is_person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Reason, Refused
from kommunedialog.core.workflow import (
    COORDINATOR,
    MUNICIPALITY,
    OFFICE,
    SYSTEM_ONLY,
    Data,
    Party,
    Transition,
    Workflow,
)
from kommunedialog.grants.models import Application, Call, ChangeRequest, Project, Report, ReportKind, Review
from kommunedialog.grants.states import (
    UNDECIDED,
    ApplicationState,
    CallState,
    ChangeRequestState,
    ProjectState,
    ReportState,
)

if TYPE_CHECKING:
    import datetime as dt

APPLICANT = MUNICIPALITY  # the lead municipality's users


def parties(obj: Any, person: Person) -> frozenset[Party]:
    """What ``person`` is to ``obj`` (anything with ``grant_scope()``: the office and lead municipality)."""
    office, municipality = obj.grant_scope()
    return access.parties(person, office=office, municipality=municipality)


# Guards: each returns the reason the move is refused now, in words, or None.


def call_ready(call: Call, actor: Actor, data: Data | None) -> Reason | None:
    problems = call.publication_problems()
    return "; ".join(problems) if problems else None


def deadline_passed(call: Call, actor: Actor, data: Data | None) -> Reason | None:
    return None if timezone.localdate() > call.deadline else _("The deadline has not passed yet")


def later_deadline(call: Call, actor: Actor, data: Data | None) -> Reason | Refused | None:
    """A deadline moves only later (applicants may have planned by it), and only to a day still ahead."""
    if data is None:
        return None
    new = data.get("deadline")
    if new is None or new <= call.deadline:
        return Refused(
            _("The new deadline must be later than the current one (%(deadline)s)")
            % {"deadline": date_format(call.deadline)},
            field="deadline",
        )
    if new <= timezone.localdate():
        return Refused(_("The new deadline must be in the future"), field="deadline")
    return None


def all_decided(call: Call, actor: Actor, data: Data | None) -> Reason | None:
    open_count = call.applications.filter(state__in=UNDECIDED).count()
    if open_count:
        return ngettext(
            "%(n)s application still awaits a decision", "%(n)s applications still await a decision", open_count
        ) % {"n": open_count}
    return None


def open_for_submission(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    call = application.call
    if call.state != CallState.PUBLISHED:
        return _("The call is not open for applications")
    if timezone.localdate() > call.deadline:
        return _("The deadline has passed")
    return complete(application, actor, data)


def open_for_resubmission(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    if application.call.state not in {CallState.PUBLISHED, CallState.CLOSED}:
        return _("The call no longer takes corrections")
    return complete(application, actor, data)


def complete(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    problems = application.submission_problems()
    return "; ".join(problems) if problems else None


def has_complete_review(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    if any(review.is_complete for review in application.reviews.prefetch_related("scores")):
        return None
    return _("At least one reviewer without a conflict of interest must score every criterion and recommend")


def call_closed(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    if application.call.state != CallState.CLOSED:
        return _("Decisions are made after the deadline, while the call is closed")
    return None


def report_complete(report: Report, actor: Actor, data: Data | None) -> Reason | None:
    problems = report.submission_problems()
    return "; ".join(problems) if problems else None


def final_report_approved(project: Project, actor: Actor, data: Data | None) -> Reason | None:
    final = project.final_report
    if final is None or final.state not in {ReportState.APPROVED, ReportState.PUBLISHED}:
        return _("The final report must be approved first")
    return None


def change_problem(
    project: Project, *, new_period_end: dt.date | None, new_final_report_due: dt.date | None
) -> Reason | None:
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
        project.reports.filter(kind=ReportKind.FINAL).values_list("due_on", flat=True).first()
    )
    if due is not None and due < end:
        return _("The final report cannot be due before the project ends (%(end)s): give a new due date for it") % {
            "end": date_format(end)
        }
    return None


def change_applicable(change: ChangeRequest, actor: Actor, data: Data | None) -> Reason | None:
    return change_problem(
        change.project, new_period_end=change.new_period_end, new_final_report_due=change.new_final_report_due
    )


def not_conflicted(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    """Forvaltningsloven § 6: whoever has declared a conflict of interest in a case takes no part in
    preparing or deciding it, so neither recommends nor decides."""
    if is_person(actor) and Review.objects.filter(application=application, reviewer=actor, conflict=True).exists():
        return _("You have declared a conflict of interest in this application")
    return None


def not_assessor(application: Application, actor: Actor, data: Data | None) -> Reason | None:
    """Four eyes: whoever assessed the application (scored it or recommended it, or sent the
    recommendation on) does not decide it; the decision is another person's."""
    if not is_person(actor):
        return None
    scored = (
        Review.objects.filter(application=application, reviewer=actor, conflict=False)
        .filter(Q(scores__isnull=False) | ~Q(recommendation=""))
        .exists()
    )
    if scored or _sent_recommendation(application, actor):
        return _("You assessed this application, so someone else must decide it (four eyes)")
    return None


def _sent_recommendation(application: Application, actor: Person) -> bool:
    return AuditEvent.objects.filter(
        action=AuditAction.GRANT_APPLICATION_RECOMMEND,
        object_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
        actor=actor,
    ).exists()


CALL = Workflow(
    Call,
    "grant_call",
    parties,
    (
        Transition(
            "publish",
            {CallState.DRAFT},
            CallState.PUBLISHED,
            COORDINATOR,
            label=_("Publish the call"),
            guards=(call_ready,),
        ),
        Transition(
            "extend_deadline",
            {CallState.PUBLISHED},
            CallState.PUBLISHED,
            COORDINATOR,
            label=_("Move the deadline"),
            guards=(later_deadline,),
        ),
        # By the coordinator once the deadline has passed, or by the scheduled task (grants_tick) on its own.
        Transition(
            "close",
            {CallState.PUBLISHED},
            CallState.CLOSED,
            COORDINATOR | SYSTEM_ONLY,
            label=_("Close for applications"),
            guards=(deadline_passed,),
        ),
        Transition(
            "allocate",
            {CallState.CLOSED},
            CallState.ALLOCATED,
            COORDINATOR,
            label=_("Mark the call as allocated"),
            guards=(all_decided,),
        ),
        Transition("archive", {CallState.ALLOCATED}, CallState.ARCHIVED, COORDINATOR, label=_("Archive")),
    ),
)

A = ApplicationState
APPLICATION = Workflow(
    Application,
    "grant_application",
    parties,
    (
        Transition(
            "submit",
            {A.DRAFT},
            A.SUBMITTED,
            APPLICANT,
            label=_("Submit the application"),
            guards=(open_for_submission,),
        ),
        Transition(
            "withdraw",
            {A.DRAFT, A.SUBMITTED, A.RETURNED},
            A.WITHDRAWN,
            APPLICANT,
            label=_("Withdraw the application"),
        ),
        Transition("return_for_correction", {A.SUBMITTED}, A.RETURNED, OFFICE, label=_("Return for correction")),
        Transition(
            "resubmit",
            {A.RETURNED},
            A.SUBMITTED,
            APPLICANT,
            label=_("Send the corrected application"),
            guards=(open_for_resubmission,),
        ),
        Transition("start_assessment", {A.SUBMITTED}, A.UNDER_ASSESSMENT, OFFICE, label=_("Start assessment")),
        Transition(
            "request_information",
            {A.UNDER_ASSESSMENT},
            A.INFO_REQUESTED,
            OFFICE,
            label=_("Ask for more information"),
            guards=(not_conflicted,),
        ),
        Transition("answer_information", {A.INFO_REQUESTED}, A.UNDER_ASSESSMENT, APPLICANT, label=_("Send the answer")),
        Transition(
            "recommend",
            {A.UNDER_ASSESSMENT},
            A.RECOMMENDED,
            OFFICE,
            label=_("Send the recommendation to the coordinator"),
            guards=(not_conflicted, has_complete_review),
        ),
        Transition(
            "reopen_assessment",
            {A.RECOMMENDED},
            A.UNDER_ASSESSMENT,
            COORDINATOR,
            label=_("Take back to assessment"),
            guards=(not_conflicted,),
        ),
        Transition(
            "approve",
            {A.RECOMMENDED},
            A.APPROVED,
            COORDINATOR,
            label=_("Approve"),
            guards=(not_conflicted, not_assessor, call_closed),
        ),
        # Also from returned and info-requested once the call is closed: a municipality that never comes
        # back must not keep the call from being allocated.
        Transition(
            "reject",
            {A.RECOMMENDED, A.RETURNED, A.INFO_REQUESTED},
            A.REJECTED,
            COORDINATOR,
            label=_("Reject"),
            guards=(not_conflicted, not_assessor, call_closed),
        ),
    ),
)

R = ReportState
REPORT = Workflow(
    Report,
    "grant_report",
    parties,
    (
        Transition(
            "submit",
            {R.DRAFT, R.RETURNED},
            R.SUBMITTED,
            APPLICANT,
            label=_("Submit the report"),
            guards=(report_complete,),
        ),
        Transition("return", {R.SUBMITTED}, R.RETURNED, OFFICE, label=_("Return for correction")),
        Transition("approve", {R.SUBMITTED}, R.APPROVED, OFFICE, label=_("Accept the report")),
        Transition("publish", {R.APPROVED}, R.PUBLISHED, OFFICE, label=_("Publish the report")),
    ),
)

P = ProjectState
PROJECT = Workflow(
    Project,
    "grant_project",
    parties,
    (
        # Moved by the final report's own workflow: submitted → delivered, returned → active again.
        Transition(
            "deliver_final_report",
            {P.ACTIVE},
            P.FINAL_REPORT_DELIVERED,
            SYSTEM_ONLY,
            label=_("Final report delivered"),
        ),
        Transition("reopen", {P.FINAL_REPORT_DELIVERED}, P.ACTIVE, SYSTEM_ONLY, label=_("Active again")),
        Transition(
            "close",
            {P.FINAL_REPORT_DELIVERED},
            P.CLOSED,
            OFFICE,
            label=_("Close the project"),
            guards=(final_report_approved,),
        ),
    ),
)

C = ChangeRequestState
CHANGE_REQUEST = Workflow(
    ChangeRequest,
    "grant_change_request",
    parties,
    (
        Transition(
            "approve",
            {C.SUBMITTED},
            C.APPROVED,
            OFFICE,
            label=_("Approve the change"),
            guards=(change_applicable,),
        ),
        # No guard: a request the project has outgrown can still be answered.
        Transition("reject", {C.SUBMITTED}, C.REJECTED, OFFICE, label=_("Reject the change")),
    ),
)
