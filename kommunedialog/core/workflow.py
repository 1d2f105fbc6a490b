"""The one workflow engine. A workflow is a table of transitions; this module reads and applies it.

Each transition names the states it leaves from, the action, the state it leads to, the parties that may
take it and the guards that must pass. A guard sees the object, the acting person and the submitted data
and returns the reason the move is not possible now, in words, or None. ``Workflow.allowed`` gives every
next step with "yes" or that reason, so a page can show a step as unavailable *and why* instead of
hiding it; ``Workflow.apply`` locks the row, checks the move again under the lock, sets the state and
fields, writes the audit entry and schedules the side effects for after the commit.

The engine knows nothing of offices or municipalities: each table brings a function that says which
parties a person is to the object (``accounts.access.parties`` does the lookup).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Actor, Person, System
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.refusal import Reason, Refused


class Party(enum.StrEnum):
    """What a person is to the object a workflow moves, or the system itself."""

    MUNICIPALITY = "municipality"  # a municipality user of the object's municipality (the applicant in grants)
    STAFF = "staff"  # office staff of the office that owns the object
    COORDINATOR = "coordinator"  # the coordinator of that office
    SYSTEM = "system"  # a scheduled task or another workflow, never a person

    @property
    def label(self) -> Reason:
        return PARTY_LABELS[self]


PARTY_LABELS: dict[Party, Reason] = {
    Party.MUNICIPALITY: _("the municipality"),
    Party.STAFF: _("office staff"),
    Party.COORDINATOR: _("the coordinator"),
    Party.SYSTEM: _("the system, on its own"),
}

MUNICIPALITY = frozenset({Party.MUNICIPALITY})
OFFICE = frozenset({Party.STAFF, Party.COORDINATOR})
COORDINATOR = frozenset({Party.COORDINATOR})
SYSTEM_ONLY = frozenset({Party.SYSTEM})

type Data = Mapping[str, Any]
# A guard returns why the move cannot be made now (in the reader's words), or None when it can; a rule
# about one field of the step's form returns a ``Refused`` naming that field, so the reason is shown
# beside it. A guard gets ``data`` None when a page asks in advance which steps are open, before the
# step's own form is filled in: a rule about what that form supplies (a date) then passes, so the step
# is offered with its form.
type Guard = Callable[[Any, Actor, Data | None], Reason | Refused | None]
NO_DATA: Data = {}


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset[str]
    target: str
    who: frozenset[Party]
    label: Reason
    guards: tuple[Guard, ...] = ()

    def __init__(
        self,
        action: str,
        source: Iterable[str],
        target: str,
        who: Iterable[Party],
        *,
        label: Reason,
        guards: Iterable[Guard] = (),
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "source", frozenset(source))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "who", frozenset(who))
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "guards", tuple(guards))


@dataclass(frozen=True)
class Step:
    """One next step for one person: ``ok`` when it can be taken now, else ``reason`` says why not."""

    action: str
    label: Reason
    target: str
    reason: Reason | None
    # False when someone else takes this step (the page may still show it as the next thing to happen).
    yours: bool = True

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Workflow[M: models.Model]:
    """A transition table for ``model`` (which has a ``state`` field), audited as ``<audit_prefix>_<action>``."""

    model: type[M]
    audit_prefix: str
    parties: Callable[[M, Person], frozenset[Party]]
    transitions: tuple[Transition, ...]
    by_action: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_action = {t.action: t for t in self.transitions}
        if len(by_action) != len(self.transitions):
            raise ValueError(f"{self.audit_prefix}: an action appears twice in the table")
        for action in by_action:
            AuditAction(f"{self.audit_prefix}_{action}")  # every move has its audit action, or import fails
        object.__setattr__(self, "by_action", by_action)

    @property
    def states(self) -> list[str]:
        choices = self.model._meta.get_field("state").choices or ()  # type: ignore[union-attr]
        return [str(value) for value, _label in choices]

    def parties_of(self, obj: M, actor: Actor) -> frozenset[Party]:
        return SYSTEM_ONLY if isinstance(actor, System) else self.parties(obj, actor)

    def refusal(self, obj: M, transition: Transition, actor: Actor, data: Data | None) -> Reason | Refused | None:
        """Why ``actor`` cannot take ``transition`` on ``obj`` now, or None."""
        state = getattr(obj, "state")  # noqa: B009 (every workflow model has one; mypy cannot know)
        if state not in transition.source:
            display = getattr(obj, "get_state_display")()  # noqa: B009
            return _("Not possible while the state is “%(state)s”") % {"state": display}
        if not transition.who & self.parties_of(obj, actor):
            return self.who_reason(transition)
        for guard in transition.guards:
            reason = guard(obj, actor, data)
            if reason:
                return reason
        return None

    @staticmethod
    def who_reason(transition: Transition) -> Reason:
        if transition.who == SYSTEM_ONLY:
            return _("This step happens on its own")
        names = ", ".join(str(p.label) for p in Party if p in transition.who and p is not Party.SYSTEM)
        return _("Only %(who)s can do this") % {"who": names}

    def check(self, obj: M, action: str, actor: Actor, data: Data = NO_DATA) -> Transition:
        """The transition for ``action`` if ``actor`` may take it on ``obj`` now; else ``Refused``."""
        transition = self.by_action.get(action)
        if transition is None:
            raise Refused(_("No such step"), action=action)
        reason = self.refusal(obj, transition, actor, data)
        if isinstance(reason, Refused):
            reason.action = action
            raise reason
        if reason:
            raise Refused(reason, action=action)
        return transition

    def allowed(self, obj: M, actor: Actor) -> list[Step]:
        """Every step out of the object's current state that a person can take, in table order: the
        actor's own with "yes" (``reason`` None) or the reason, and the others' marked ``yours=False``.
        Steps only the system takes are left out."""
        steps = []
        state = getattr(obj, "state")  # noqa: B009
        mine = self.parties_of(obj, actor)
        for transition in self.transitions:
            if state not in transition.source or transition.who == SYSTEM_ONLY:
                continue
            yours = bool(transition.who & mine)
            reason = self.refusal(obj, transition, actor, None) if yours else self.who_reason(transition)
            if isinstance(reason, Refused):
                reason = reason.reason
            steps.append(Step(transition.action, transition.label, transition.target, reason, yours))
        return steps

    def apply(
        self,
        obj: M,
        action: str,
        *,
        actor: Actor,
        data: Data | None = None,
        fields: Mapping[str, Any] | None = None,
        on_commit: Iterable[Callable[[], object]] = (),
    ) -> M:
        """Take the step: lock the row, check role and guards again under the lock, set the state and
        ``fields``, audit it, and run ``on_commit`` callbacks once the transaction commits. Guards see
        ``data`` (default: ``fields``). Returns the locked, saved row. Raises ``Refused``."""
        fields = dict(fields or {})
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            transition = self.check(locked, action, actor, fields if data is None else data)
            before = {"state": getattr(locked, "state"), **{n: _plain(getattr(locked, n)) for n in fields}}  # noqa: B009
            setattr(locked, "state", transition.target)  # noqa: B010
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=["state", *fields])
            audit.record(
                actor=actor,
                obj=locked,
                action=AuditAction(f"{self.audit_prefix}_{action}"),
                before=before,
                after={"state": transition.target, **{n: _plain(v) for n, v in fields.items()}},
            )
            for callback in on_commit:
                transaction.on_commit(callback)
        return locked


def _plain(value: Any) -> Any:
    """Audit entries hold JSON: a related object is recorded by its key."""
    return value.pk if isinstance(value, models.Model) else value


__all__ = [
    "COORDINATOR",
    "MUNICIPALITY",
    "OFFICE",
    "SYSTEM",
    "SYSTEM_ONLY",
    "Party",
    "Refused",
    "Step",
    "Transition",
    "Workflow",
]
