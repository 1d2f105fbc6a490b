"""task_scheduler: enqueue the scheduled tasks (settings.TASKS_SCHEDULE) on time, through django-crontask.
Run exactly one; the task workers run what it enqueues."""

from __future__ import annotations

from typing import Any

from crontask.management.commands import crontask
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kommunedialog.core import schedule


class Command(BaseCommand):
    help = "Enqueue the scheduled tasks (TASKS_SCHEDULE in the settings) on time. Run exactly one."

    def handle(self, *args: Any, **options: Any) -> None:
        for entry in schedule.register():
            self.stdout.write(f"{entry.cron:<16} {entry.task_path}")
        # The schedule is registered above, from the settings; crontask's own task discovery and its
        # heartbeat task are not wanted.
        call_command(crontask.Command(stdout=self.stdout, stderr=self.stderr), no_task_loading=True, no_heartbeat=True)
