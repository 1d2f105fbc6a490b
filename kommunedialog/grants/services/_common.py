"""What every grants service shares: the party check for edits outside the workflow tables, the
publication flag, and the office's case numbers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from kommunedialog.core import audit
from kommunedialog.core.actors import Actor, System
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.workflow import Party
from kommunedialog.grants.models import CaseCounter
from kommunedialog.grants.workflow import parties
from kommunedialog.registry.models import Office


def require_party(actor: Actor, obj: Any, wanted: frozenset[Party]) -> None:
    if isinstance(actor, System) or not wanted & parties(obj, actor):
        raise PermissionDenied("Your role does not allow this")


def set_publish[M: models.Model](locked: M, *, actor: Actor, publish: bool, action: AuditAction) -> M:
    """Turn an office's publication flag on or off (on a locked row), audited; no change writes nothing."""
    if locked.publish != publish:  # type: ignore[attr-defined]
        before = {"publish": locked.publish}  # type: ignore[attr-defined]
        locked.publish = publish  # type: ignore[attr-defined]
        locked.save(update_fields=["publish"])
        audit.record(actor=actor, obj=locked, action=action, before=before, after={"publish": publish})
    return locked


def next_case_reference(office: Office) -> str:
    """The office's next case number this year, "2026/14" (call inside the transaction that uses it:
    the counter's row stays locked until it commits, and a rollback gives the number back)."""
    year = timezone.localdate().year
    CaseCounter.objects.get_or_create(office=office, year=year)
    counter = CaseCounter.objects.select_for_update().get(office=office, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}/{counter.last}"
