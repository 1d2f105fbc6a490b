"""What every grants service shares: the locked, audited state transition and the party check."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from kommunedialog.core import audit, transitions
from kommunedialog.grants.workflow import Party, Workflow, parties


def require_party(actor: Any, obj: Any, wanted: frozenset[Party]) -> None:
    if actor is None or not wanted & parties(actor, obj):
        raise PermissionDenied("Your role does not allow this")


def transition[M: models.Model](obj: M, flow: Workflow, action: str, actor: Any | None, **fields: Any) -> M:
    """Lock ``obj``'s row, check the move in ``flow``'s table, change the state (and ``fields``), audit it.

    Called inside the caller's transaction when the caller has more to do atomically with it.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        move = flow.check(locked, action, actor)
        return transitions.apply(
            locked, target=move.target, actor=actor, action=f"grant_{flow.name}_{action}", fields=fields
        )


def set_publish[M: models.Model](locked: M, *, actor: Any, publish: bool, action: str) -> M:
    """Turn an office's publication flag on or off (on a locked row), audited; no change writes nothing."""
    if locked.publish != publish:  # type: ignore[attr-defined]
        before = {"publish": locked.publish}  # type: ignore[attr-defined]
        locked.publish = publish  # type: ignore[attr-defined]
        locked.save(update_fields=["publish"])
        audit.record(actor=actor, obj=locked, action=action, before=before, after={"publish": publish})
    return locked
