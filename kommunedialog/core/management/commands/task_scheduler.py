"""task_scheduler: enqueue the scheduled tasks (settings.TASKS_SCHEDULE) on time, through django-crontask.
With Redis (REDIS_URL) it holds a lock there, so a second scheduler waits instead of enqueuing twice; the
task workers run what it enqueues. Everything it says goes to the log (JSON in production)."""

from __future__ import annotations

import io
import logging
from typing import Any

from crontask.management.commands import crontask
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kommunedialog.core import schedule

logger = logging.getLogger("kommunedialog.core.schedule")


class LogLines(io.TextIOBase):
    """A stream that writes each line it is given to the log, at ``level``."""

    def __init__(self, level: int) -> None:
        self.level = level

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                logger.log(self.level, line.strip())
        return len(text)


class Command(BaseCommand):
    help = "Enqueue the scheduled tasks (TASKS_SCHEDULE in the settings) on time."

    def handle(self, *args: Any, **options: Any) -> None:
        for entry in schedule.register():
            logger.info("Scheduled %s at %r", entry.task_path, entry.cron)
        # The schedule is registered above, from the settings; crontask's own task discovery and its
        # heartbeat task are not wanted.
        call_command(
            crontask.Command(stdout=LogLines(logging.INFO), stderr=LogLines(logging.WARNING), no_color=True),
            no_task_loading=True,
            no_heartbeat=True,
        )
