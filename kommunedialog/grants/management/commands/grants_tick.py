"""Close calls past their deadline and send report reminders. Meant for cron (e.g. hourly); safe to run
any number of times: a closed call is not closed again, and each reminder is sent once per due date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kommunedialog.grants.services import calls_close_due, report_reminders_send


class Command(BaseCommand):
    help = "Prosjektskjønn: close calls whose deadline has passed and remind municipalities of reports due."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = calls_close_due()
        reminders = report_reminders_send()
        self.stdout.write(f"{len(closed)} call closed" if len(closed) == 1 else f"{len(closed)} calls closed")
        self.stdout.write(f"{len(reminders)} report reminders recorded")
