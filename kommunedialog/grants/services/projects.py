"""Projects after the award: reports (with their own workflow), change requests, closing, and the
reminders about reports that fall due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.refusal import Refused
from kommunedialog.core.workflow import MUNICIPALITY
from kommunedialog.grants import notify, tasks, workflow
from kommunedialog.grants.budget import format_nok
from kommunedialog.grants.models import (
    ABSURD_SPENDING_FACTOR,
    ChangeRequest,
    Project,
    ReminderKind,
    Report,
    ReportKind,
    ReportReminder,
)
from kommunedialog.grants.services._common import require_party
from kommunedialog.grants.states import ProjectState, ReportState
from kommunedialog.grants.workflow import CHANGE_REQUEST, PROJECT, REPORT

REPORT_EDITABLE = frozenset({ReportState.DRAFT, ReportState.RETURNED})
# The first reminder goes this many days before the due date; the second the day after it.
REMIND_DAYS_BEFORE = 14


def report_update(
    *,
    report: Report,
    actor: Person,
    expected_version: int,
    what_was_done: str,
    results: str,
    money_spent: int | None,
    lessons_learned: str,
    spending_explanation: str = "",
) -> Report:
    """Save the report's content. Raises EditConflict when someone saved since ``expected_version``;
    refuses money spent below zero or beyond any likely figure (a typing error)."""
    if money_spent is not None and money_spent < 0:
        raise Refused(_("Money spent cannot be negative"), field="money_spent")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        require_party(actor, locked, MUNICIPALITY)
        limit = locked.project.amount_awarded * ABSURD_SPENDING_FACTOR
        if money_spent is not None and money_spent > limit:
            raise Refused(
                _("NOK %(spent)s is more than %(factor)s times the grant: check the figure")
                % {"spent": format_nok(money_spent), "factor": ABSURD_SPENDING_FACTOR},
                field="money_spent",
            )
        if locked.state not in REPORT_EDITABLE:
            raise Refused(_("A report that is “%(state)s” cannot be changed") % {"state": locked.get_state_display()})
        before, after = apply_versioned_changes(
            locked,
            expected_version=expected_version,
            changes={
                "what_was_done": what_was_done,
                "results": results,
                "money_spent": money_spent,
                "lessons_learned": lessons_learned,
                "spending_explanation": spending_explanation,
            },
        )
        audit.record(actor=actor, obj=locked, action=AuditAction.GRANT_REPORT_UPDATE, before=before, after=after)
    return locked


def report_submit(*, report: Report, actor: Person) -> Report:
    with transaction.atomic():
        submitted = REPORT.apply(report, "submit", actor=actor, fields={"submitted_at": timezone.now()})
        if submitted.kind == ReportKind.FINAL and submitted.project.state == ProjectState.ACTIVE:
            PROJECT.apply(submitted.project, "deliver_final_report", actor=SYSTEM)
    transaction.on_commit(lambda: tasks.mail_report_submitted.enqueue(report_id=submitted.pk))
    return submitted


def report_return(*, report: Report, actor: Person, reason: str) -> Report:
    if not reason.strip():
        raise Refused(_("Say what must be corrected"))
    with transaction.atomic():
        returned = REPORT.apply(report, "return", actor=actor, fields={"return_reason": reason})
        if returned.kind == ReportKind.FINAL and returned.project.state == ProjectState.FINAL_REPORT_DELIVERED:
            PROJECT.apply(returned.project, "reopen", actor=SYSTEM)
    transaction.on_commit(lambda: tasks.mail_report_returned.enqueue(report_id=returned.pk))
    return returned


def report_approve(*, report: Report, actor: Person) -> Report:
    return REPORT.apply(report, "approve", actor=actor, fields={"approved_at": timezone.now()})


def report_publish(*, report: Report, actor: Person) -> Report:
    """Put the report's content on the public project page. The office has read it first."""
    return REPORT.apply(report, "publish", actor=actor, fields={"published_at": timezone.now()})


def project_close(*, project: Project, actor: Person) -> Project:
    return PROJECT.apply(project, "close", actor=actor, fields={"closed_at": timezone.now()})


def change_request_submit(
    *,
    project: Project,
    actor: Person,
    description: str,
    new_period_end: dt.date | None = None,
    new_final_report_due: dt.date | None = None,
) -> ChangeRequest:
    """The lead municipality asks to change its active project. Raises TransitionRefused when the project
    is no longer active, ValueError when the new dates make no sense; nothing is written then."""
    if not description.strip():
        raise Refused(_("Say what should change and why"))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        require_party(actor, locked, MUNICIPALITY)
        problem = workflow.change_problem(
            locked, new_period_end=new_period_end, new_final_report_due=new_final_report_due
        )
        if problem and locked.state != ProjectState.ACTIVE:
            raise Refused(problem)
        if problem:
            raise Refused(problem)
        change = ChangeRequest.objects.create(
            project=locked,
            description=description,
            new_period_end=new_period_end,
            new_final_report_due=new_final_report_due,
            submitted_by=actor,
        )
        audit.record(
            actor=actor,
            obj=change,
            action=AuditAction.GRANT_CHANGE_REQUEST_SUBMIT,
            after={"new_period_end": new_period_end, "new_final_report_due": new_final_report_due},
        )
    return change


def change_request_approve(*, change_request: ChangeRequest, actor: Person, reason: str = "") -> ChangeRequest:
    """Approve, and apply what it asked for: the project's new end and the final report's new date.
    Refused (TransitionRefused, nothing written) unless the project is still active and the dates still
    hold on the day of approval."""
    with transaction.atomic():
        # Locked before the workflow's guard reads the project, so the state it checks is the one changed.
        project = Project.objects.select_for_update().get(pk=change_request.project_id)
        decided = CHANGE_REQUEST.apply(
            change_request,
            "approve",
            actor=actor,
            fields={"decision_reason": reason, "decided_by": actor, "decided_at": timezone.now()},
        )
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if decided.new_period_end:
            before["period_end"], after["period_end"] = project.period_end, decided.new_period_end
            project.period_end = decided.new_period_end
            project.save(update_fields=["period_end"])
        final = project.reports.select_for_update().filter(kind=ReportKind.FINAL, state__in=REPORT_EDITABLE).first()
        if decided.new_final_report_due and final is not None:
            before["final_report_due"], after["final_report_due"] = final.due_on, decided.new_final_report_due
            final.due_on = decided.new_final_report_due
            final.save(update_fields=["due_on"])
        if after:
            audit.record(actor=actor, obj=project, action=AuditAction.GRANT_PROJECT_CHANGE, before=before, after=after)
    return decided


def change_request_reject(*, change_request: ChangeRequest, actor: Person, reason: str) -> ChangeRequest:
    if not reason.strip():
        raise Refused(_("Give the reason for the rejection"))
    return CHANGE_REQUEST.apply(
        change_request,
        "reject",
        actor=actor,
        fields={"decision_reason": reason, "decided_by": actor, "decided_at": timezone.now()},
    )


def _reminder_due(report: Report, today: dt.date) -> ReminderKind | None:
    if today > report.due_on:
        return ReminderKind.AFTER
    if (report.due_on - today).days <= REMIND_DAYS_BEFORE:
        return ReminderKind.BEFORE
    return None


def _send_reminder(reminder: ReportReminder) -> None:
    # robust: one refused mailbox must not stop the reminders of other municipalities; the reminder
    # stays undelivered and a later run sends it again.
    transaction.on_commit(lambda: tasks.mail_report_reminder.enqueue(reminder_id=reminder.pk), robust=True)


def report_reminders_send() -> list[ReportReminder]:
    """Remind the municipality of reports not yet delivered: once in the two weeks before the due date,
    once after it. Each reminder is recorded first, so running this again (or twice at once) sends nothing new;
    one recorded but not delivered (the mail server refused it) an hour ago or more is sent again while
    its report is still awaited."""
    today = timezone.localdate()
    sent: list[ReportReminder] = []
    pending = Report.objects.filter(
        state__in=REPORT_EDITABLE,
        project__state=ProjectState.ACTIVE,
        due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("project__application__municipality")
    for report in pending:
        kind = _reminder_due(report, today)
        if kind is None or report.reminders.filter(kind=kind, due_on=report.due_on).exists():
            continue
        try:
            with transaction.atomic():
                reminder = ReportReminder.objects.create(
                    report=report,
                    kind=kind,
                    due_on=report.due_on,
                    recipients=len(notify.municipality_recipients(report.project.application.municipality)),
                )
                audit.record(
                    actor=SYSTEM,
                    obj=report,
                    action=AuditAction.GRANT_REPORT_REMINDER,
                    after={"kind": kind, "due_on": report.due_on, "recipients": reminder.recipients},
                )
        except IntegrityError:
            continue  # a concurrent run recorded it first
        _send_reminder(reminder)
        sent.append(reminder)
    undelivered = ReportReminder.objects.filter(
        delivered_at__isnull=True,
        sent_at__lte=timezone.now() - dt.timedelta(hours=1),
        report__state__in=REPORT_EDITABLE,
        report__project__state=ProjectState.ACTIVE,
    ).exclude(pk__in=[r.pk for r in sent])
    for reminder in undelivered:
        _send_reminder(reminder)
        sent.append(reminder)
    return sent
