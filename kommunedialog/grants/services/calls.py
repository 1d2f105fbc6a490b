"""Calls for applications: created and published by the office's coordinator, their deadline moved
later while open, closed once the deadline has passed (by the scheduled task or the coordinator),
allocated once every application is decided, archived at the end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Actor, Person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.refusal import Refused
from kommunedialog.core.workflow import COORDINATOR
from kommunedialog.grants import tasks
from kommunedialog.grants.models import Call, Criterion, Theme
from kommunedialog.grants.services._common import require_party
from kommunedialog.grants.states import CallState
from kommunedialog.grants.workflow import CALL
from kommunedialog.registry.models import Office


@dataclass(frozen=True)
class CriterionSpec:
    name_nb: str
    name_nn: str
    weight: int


@dataclass(frozen=True)
class CallSpec:
    year: int
    title_nb: str
    title_nn: str
    description_nb: str
    description_nn: str
    frame: int
    deadline: dt.date
    min_own_share_percent: int = 0
    min_amount: int = 0
    themes: tuple[str, ...] = ()
    criteria: tuple[CriterionSpec, ...] = field(default_factory=tuple)

    def validate(self) -> None:
        if self.frame <= 0:
            raise Refused(_("The budget frame must be more than zero"))
        if not 0 <= self.min_own_share_percent <= 100:
            raise Refused(_("The minimum own share is a percentage from 0 to 100"))
        if self.min_amount < 0 or self.min_amount > self.frame:
            raise Refused(_("The minimum amount must lie between 0 and the frame"))
        unknown = set(self.themes) - set(Theme.values)
        if unknown:
            raise Refused(f"Unknown themes: {sorted(unknown)}")
        if any(not 1 <= c.weight <= 100 for c in self.criteria):
            raise Refused(_("A criterion's weight is a percentage from 1 to 100"))

    def fields(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "title_nb": self.title_nb,
            "title_nn": self.title_nn,
            "description_nb": self.description_nb,
            "description_nn": self.description_nn,
            "frame": self.frame,
            "deadline": self.deadline,
            "min_own_share_percent": self.min_own_share_percent,
            "min_amount": self.min_amount,
            "themes": list(self.themes),
        }


def _criteria_summary(call: Call) -> list[str]:
    return [f"{c.name_nb} / {c.name_nn}: {c.weight} %" for c in call.criteria.order_by("position")]


def _replace_criteria(call: Call, criteria: tuple[CriterionSpec, ...]) -> None:
    call.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(call=call, name_nb=c.name_nb, name_nn=c.name_nn, weight=c.weight, position=i)
        for i, c in enumerate(criteria, start=1)
    )


def call_create(*, office: Office, actor: Person, spec: CallSpec) -> Call:
    """A draft call; the coordinator publishes it when texts, themes and criteria are complete."""
    spec.validate()
    with transaction.atomic():
        call = Call(office=office, **spec.fields())
        require_party(actor, call, COORDINATOR)
        call.save()
        _replace_criteria(call, spec.criteria)
        audit.record(
            actor=actor,
            obj=call,
            action=AuditAction.GRANT_CALL_CREATE,
            after={**spec.fields(), "criteria": _criteria_summary(call)},
        )
    return call


def call_update(*, call: Call, actor: Person, expected_version: int, spec: CallSpec) -> Call:
    """Edit a draft call. Raises EditConflict when someone saved it since ``expected_version``."""
    spec.validate()
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        require_party(actor, locked, COORDINATOR)
        if locked.state != CallState.DRAFT:
            raise Refused(_("Only a draft call can be edited"))
        criteria_before = _criteria_summary(locked)
        before, after = apply_versioned_changes(locked, expected_version=expected_version, changes=spec.fields())
        _replace_criteria(locked, spec.criteria)
        criteria_after = _criteria_summary(locked)
        if criteria_before != criteria_after:
            before["criteria"], after["criteria"] = criteria_before, criteria_after
        audit.record(actor=actor, obj=locked, action=AuditAction.GRANT_CALL_UPDATE, before=before, after=after)
    return locked


def call_publish(*, call: Call, actor: Person) -> Call:
    return CALL.apply(call, "publish", actor=actor, fields={"published_at": timezone.now()})


def call_extend_deadline(*, call: Call, actor: Person, deadline: dt.date) -> Call:
    """Move an open call's deadline later (never earlier), audited; every municipality with an application
    started but not yet submitted is told by mail once the move commits."""
    return CALL.apply(
        call,
        "extend_deadline",
        actor=actor,
        fields={"deadline": deadline},
        on_commit=[lambda: tasks.mail_call_deadline_moved.enqueue(call_id=call.pk)],
    )


def call_close(*, call: Call, actor: Actor = SYSTEM) -> Call:
    """Close the call for applications once its deadline has passed: the scheduled task does it on its
    own (``actor`` SYSTEM), or the coordinator earlier by hand."""
    return CALL.apply(call, "close", actor=actor, fields={"closed_at": timezone.now()})


def call_allocate(*, call: Call, actor: Person) -> Call:
    return CALL.apply(call, "allocate", actor=actor)


def call_archive(*, call: Call, actor: Person) -> Call:
    return CALL.apply(call, "archive", actor=actor)


def calls_close_due() -> list[Call]:
    """Close every published call whose deadline has passed. Safe to run any number of times."""
    closed = []
    for call in Call.objects.filter(state=CallState.PUBLISHED, deadline__lt=timezone.localdate()):
        try:
            closed.append(call_close(call=call))
        except Refused:
            continue  # closed by a concurrent run in the meantime
    return closed
