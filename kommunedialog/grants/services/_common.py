"""What every grants service shares: the locked, audited state transition and the party check."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from kommunedialog.core import audit
from kommunedialog.grants.workflow import Party, Workflow, parties

M = TypeVar("M", bound=models.Model)


def require_party(actor: Any, obj: Any, wanted: frozenset[Party]) -> None:
    if actor is None or not wanted & parties(actor, obj):
        raise PermissionDenied("Your role does not allow this")


def _plain(value: Any) -> Any:
    """Audit entries hold JSON: a related object is recorded by its key."""
    return value.pk if isinstance(value, models.Model) else value


def transition[M: models.Model](obj: M, flow: Workflow, action: str, actor: Any | None, **fields: Any) -> M:
    """Lock ``obj``'s row, check the move in ``flow``'s table, change the state (and ``fields``), audit it.

    Called inside the caller's transaction when the caller has more to do atomically with it.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        move = flow.check(locked, action, actor)
        before = {"state": locked.state, **{n: _plain(getattr(locked, n)) for n in fields}}  # type: ignore[attr-defined]
        locked.state = move.target  # type: ignore[attr-defined]
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["state", *fields])
        audit.record(
            actor=actor,
            obj=locked,
            action=f"grant_{flow.name}_{action}",
            before=before,
            after={"state": move.target, **{n: _plain(v) for n, v in fields.items()}},
        )
    return locked
