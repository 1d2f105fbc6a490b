"""Background work of Prosjektskjønn, through Django's task framework (ids in, nothing else)."""

from __future__ import annotations

from django.tasks import task

from kommunedialog.grants import letter
from kommunedialog.grants.models import Decision


@task()
def render_decision_letter(decision_id: int) -> str:
    decision = Decision.objects.select_related("application__municipality", "application__call__office").get(
        pk=decision_id
    )
    return str(letter.cached_pdf(decision))
