"""The kommunebilde's scheduled work that moves profiles. Apart from ``tasks`` (which the services
enqueue) because it calls the services itself."""

from __future__ import annotations

from django.tasks import task

from kommunedialog.profiles.services import consultations_close_due


@task()
def close_due_consultations() -> int:
    """Close every consultation whose deadline has passed (scheduled in settings.TASKS_SCHEDULE); running it
    again closes nothing new."""
    return len(consultations_close_due())
