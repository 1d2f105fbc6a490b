"""The schedule of background work, read from ``settings.TASKS_SCHEDULE`` (task path → crontab line) and
given to django-crontask's scheduler. The settings are the one place the schedule is written; this module
only checks and loads it (by path, so the lowest floor names no app above it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import crontask
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.tasks import Task
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Entry:
    task_path: str
    cron: str
    task: Task[..., Any]


def entries() -> list[Entry]:
    """The schedule, each task loaded; a path that is not a task is a configuration error."""
    found = []
    for path, cron in sorted(settings.TASKS_SCHEDULE.items()):
        try:
            task = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"TASKS_SCHEDULE names {path}, which cannot be imported: {error}") from error
        if not isinstance(task, Task):
            raise ImproperlyConfigured(f"TASKS_SCHEDULE names {path}, which is not a task")
        found.append(Entry(path, cron, task))
    return found


def register() -> list[Entry]:
    """Give every entry to the scheduler (crontask.scheduler); returns them."""
    loaded = entries()
    for entry in loaded:
        crontask.cron(entry.cron, sentry_monitor_config=None)(entry.task)
    return loaded


def check_schedule(**kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check``: every entry names a task and has a crontab line the scheduler accepts."""
    try:
        loaded = entries()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E101")]
    errors: list[checks.CheckMessage] = []
    for entry in loaded:
        weekday = entry.cron.split()[-1] if entry.cron.split() else ""
        try:
            if any(c.isdigit() for c in weekday):
                raise ValueError("name the weekdays (Mon … Sun) or use *; numbers differ between cron and APScheduler")
            CronTrigger.from_crontab(entry.cron)
        except ValueError as error:
            errors.append(
                checks.Error(f"TASKS_SCHEDULE[{entry.task_path!r}] = {entry.cron!r}: {error}", id="core.E102")
            )
    return errors
