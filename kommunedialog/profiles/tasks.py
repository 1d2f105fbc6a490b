"""Background work of the kommunebilde, through Django's task framework: ids in, run by the task worker,
idempotent (the PDF is rendered once per snapshot and language; each mail goes once through the outbox)."""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from kommunedialog.profiles import notify, pdf
from kommunedialog.profiles.models import PublishedProfile

logger = logging.getLogger(__name__)


@task()
def render_snapshot_pdf(snapshot_id: int, language: str) -> str:
    snapshot = PublishedProfile.objects.select_related("municipality").get(pk=snapshot_id)
    return str(pdf.cached_pdf(snapshot, language))


@task()
def mail_consultation_opened(profile_id: int) -> int:
    return notify.consultation_opened(profile_id=profile_id)


@task()
def consultation_reminders() -> int:
    """Remind municipalities that have not responded that the consultation deadline is near (scheduled in
    settings.TASKS_SCHEDULE). A reminder that fails is tried again by the next run; the others still go."""
    sent, failed = 0, 0
    for profile_id in notify.profiles_to_remind(timezone.localdate()):
        try:
            sent += notify.consultation_deadline_near(profile_id=profile_id)
        except Exception:
            failed += 1
            logger.exception("Consultation reminder for profile %s not sent", profile_id)
    if failed:
        raise RuntimeError(f"{failed} consultation reminders were not sent; {sent} were")
    return sent


@task()
def render_supervision_plan_pdf(office_id: int, year: int, language: str) -> str:
    from kommunedialog.profiles import plan_pdf
    from kommunedialog.registry.models import Office

    return str(plan_pdf.cached_pdf(Office.objects.get(pk=office_id), year, language))
