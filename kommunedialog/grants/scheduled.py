"""Prosjektskjønn's scheduled work. Apart from ``tasks`` (which the services enqueue) because these call
the services themselves."""

from __future__ import annotations

from django.tasks import task

from kommunedialog.grants.services import calls_close_due, report_reminders_send


@task()
def grants_tick() -> dict[str, int]:
    """Close calls past their deadline and send report reminders; safe to run as often as wanted
    (scheduled in settings.TASKS_SCHEDULE)."""
    return {"calls_closed": len(calls_close_due()), "reminders_sent": len(report_reminders_send())}
