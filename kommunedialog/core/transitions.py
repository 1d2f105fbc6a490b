"""The write half of a workflow move, shared by every transition table: the caller has locked the row
and checked the move in its own table; this changes the state (and any fields) and audits it."""

from __future__ import annotations

from typing import Any

from django.db import models

from kommunedialog.core import audit


def plain(value: Any) -> Any:
    """Audit entries hold JSON: a related object is recorded by its key."""
    return value.pk if isinstance(value, models.Model) else value


def apply[M: models.Model](locked: M, *, target: str, actor: Any | None, action: str, fields: dict[str, Any]) -> M:
    before = {"state": locked.state, **{n: plain(getattr(locked, n)) for n in fields}}  # type: ignore[attr-defined]
    locked.state = target  # type: ignore[attr-defined]
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["state", *fields])
    audit.record(
        actor=actor,
        obj=locked,
        action=action,
        before=before,
        after={"state": target, **{n: plain(v) for n, v in fields.items()}},
    )
    return locked
