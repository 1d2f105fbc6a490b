"""Background work of Prosjektskjønn, through Django's task framework: ids in, run by the task worker,
idempotent (a mail goes once to each recipient through the outbox; a letter is rendered once per content).
The notices that can happen more than once about the same object use their own task id as the occasion,
so a task that runs again (a retry, a worker killed half-way) sends nothing new."""

from __future__ import annotations

from typing import Any

from django.tasks import TaskContext, task

from kommunedialog.grants import letter, notify
from kommunedialog.grants.models import Decision

# What a task that takes its context is handed (its own result, whose id names the occasion).
type Context = TaskContext[..., Any]


def _occasion(context: Context) -> str:
    return f"task:{context.task_result.id}"


@task()
def render_decision_letter(decision_id: int) -> str:
    return str(letter.cached_pdf(_decision(decision_id)))


@task()
def announce_decision(decision_id: int) -> str:
    """Render the decision letter, then tell the municipality it is ready: one letter, one mail each."""
    decision = _decision(decision_id)
    path = letter.cached_pdf(decision)
    notify.application_decided(decision=decision)
    return str(path)


def _decision(decision_id: int) -> Decision:
    return Decision.objects.select_related("application__municipality", "application__call__office").get(pk=decision_id)


@task(takes_context=True)
def mail_application_submitted(context: Context, application_id: int) -> int:
    return notify.application_submitted(application_id=application_id, occasion=_occasion(context))


@task(takes_context=True)
def mail_application_returned(context: Context, application_id: int) -> int:
    return notify.application_returned(application_id=application_id, occasion=_occasion(context))


@task(takes_context=True)
def mail_information_requested(context: Context, application_id: int) -> int:
    return notify.information_requested(application_id=application_id, occasion=_occasion(context))


@task(takes_context=True)
def mail_report_submitted(context: Context, report_id: int) -> int:
    return notify.report_submitted(report_id=report_id, occasion=_occasion(context))


@task(takes_context=True)
def mail_report_returned(context: Context, report_id: int) -> int:
    return notify.report_returned(report_id=report_id, occasion=_occasion(context))


@task()
def mail_report_reminder(reminder_id: int) -> int:
    return notify.report_reminder(reminder_id=reminder_id)


@task(takes_context=True)
def mail_call_deadline_moved(context: Context, call_id: int) -> int:
    return notify.call_deadline_moved(call_id=call_id, occasion=_occasion(context))
