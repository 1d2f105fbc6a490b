"""Background work of the kommunebilde, through Django's task framework (ids in, nothing else)."""

from __future__ import annotations

from django.tasks import task

from kommunedialog.profiles import pdf
from kommunedialog.profiles.models import PublishedProfile


@task()
def render_snapshot_pdf(snapshot_id: int, language: str) -> str:
    snapshot = PublishedProfile.objects.select_related("municipality").get(pk=snapshot_id)
    return str(pdf.cached_pdf(snapshot, language))
