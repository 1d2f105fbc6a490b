"""The audit trail: service functions call ``record`` once for every state change they make."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kommunedialog.core.models import AuditEvent

SYSTEM_ACTOR_LABEL = "system"


def record(
    *,
    actor: Any | None,
    obj: models.Model,
    action: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. ``actor`` None means a system job (an import run from the command line)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise ValueError("An anonymous user cannot change anything; pass a real user or None for the system")
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM_ACTOR_LABEL,
        action=action,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=dict(before or {}),
        after=dict(after or {}),
    )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Reduce two full snapshots to the fields that differ, for a compact before/after summary."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
