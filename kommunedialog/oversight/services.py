"""State changes on oversight evidence. Each public function is atomic and audited; imports and the
one-record services share the same upsert, which writes (and audits) only what differs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models, transaction
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.refusal import Refused
from kommunedialog.oversight.importers import parse_table
from kommunedialog.oversight.models import (
    ComplaintStatistic,
    Cooperation,
    Finding,
    FindingKind,
    Plan,
    Supervision,
    SupervisionStatus,
)
from kommunedialog.oversight.specs import ComplaintSpec, CooperationSpec, PlanSpec, SupervisionSpec
from kommunedialog.oversight.tabular import ImportRejected, RowError, Table
from kommunedialog.registry.models import Office

Outcome = Literal["created", "updated", "unchanged"]


class OversightError(Refused):
    """A record that breaks a rule; the message says which."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _field_value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    # The key column, so that comparing a row does not load the municipality it points to.
    return _plain(getattr(obj, field.attname if field.is_relation else name))  # type: ignore[union-attr]


def _related_state(obj: models.Model, names: Sequence[str]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for name in names:
        if name in ("nonconformities", "remarks"):
            kind = FindingKind.NONCONFORMITY if name == "nonconformities" else FindingKind.REMARK
            state[name] = [f.text for f in obj.findings.filter(kind=kind).order_by("position")]  # type: ignore[attr-defined]
        elif name == "members":
            state[name] = sorted(obj.members.values_list("pk", flat=True))  # type: ignore[attr-defined]
    return state


def _write_related(obj: models.Model, related: Mapping[str, Any]) -> None:
    for name, value in related.items():
        if name in ("nonconformities", "remarks"):
            kind = FindingKind.NONCONFORMITY if name == "nonconformities" else FindingKind.REMARK
            Finding.objects.filter(supervision_id=obj.pk, kind=kind).delete()
            Finding.objects.bulk_create(
                Finding(supervision=obj, kind=kind, position=i, text=text)  # type: ignore[misc]
                for i, text in enumerate(value, start=1)
            )
        elif name == "members":
            obj.members.set(value)  # type: ignore[attr-defined]


def _upsert(
    *,
    actor: Actor,
    model: type[models.Model],
    existing: models.Model | None,
    values: Mapping[str, Any],
    related: Mapping[str, Any],
    actions: tuple[AuditAction, AuditAction],
) -> tuple[models.Model, Outcome]:
    """Create or bring up to date one record; ``actions`` are the audit actions for (created, updated)."""
    wanted = {name: _plain(v) for name, v in {**values, **related}.items()}
    wanted = {k: sorted(v) if k == "members" else v for k, v in wanted.items()}
    if existing is None:
        obj = model._default_manager.create(**values)
        _write_related(obj, related)
        audit.record(actor=actor, obj=obj, action=actions[0], after=wanted)
        return obj, "created"
    current = {name: _field_value(existing, name) for name in values} | _related_state(existing, list(related))
    if current == wanted:
        return existing, "unchanged"
    changed_fields = [name for name in values if current[name] != wanted[name]]
    for name in changed_fields:
        setattr(existing, name, values[name])
    if changed_fields:
        existing.save(update_fields=[*changed_fields, "updated_at"])
    _write_related(existing, {k: v for k, v in related.items() if current[k] != wanted[k]})
    before, after = audit.changed_fields(current, wanted)
    audit.record(actor=actor, obj=existing, action=actions[1], before=before, after=after)
    return existing, "updated"


def _supervision_values(spec: SupervisionSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {
        "municipality": spec.municipality,
        "domain": spec.domain,
        "authority": spec.authority,
        "reference": spec.reference,
        "topic": spec.topic,
        "supervision_type": spec.supervision_type,
        "planned_on": spec.planned_on,
        "carried_out_on": spec.carried_out_on,
        "report_on": spec.report_on,
        "nonconformity_count": spec.nonconformity_count,
        "remark_count": spec.remark_count,
        "status": spec.status,
        "closed_on": spec.closed_on,
        "report_url": spec.report_url,
    }
    return values, {"nonconformities": list(spec.nonconformities), "remarks": list(spec.remarks)}


def _complaint_values(spec: ComplaintSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    names = ("municipality", "domain", "year", "received", "decided", "upheld", "reversed", "sent_back")
    return {name: getattr(spec, name) for name in names}, {}


def _plan_values(spec: PlanSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    names = ("municipality", "plan_type", "adopted_on", "title", "revision_due", "url")
    return {name: getattr(spec, name) for name in names}, {}


def _cooperation_values(spec: CooperationSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {
        "name": spec.name,
        "service_area": spec.service_area,
        "domain": spec.domain,
        "legal_form": spec.legal_form,
        "host": spec.host,
    }
    return values, {"members": [m.pk for m in spec.members]}


@dataclass(frozen=True)
class _Kind:
    model: type[models.Model]
    values: Callable[[Any], tuple[dict[str, Any], dict[str, Any]]]
    # Reads the existing rows for a set of specs, locked, keyed as the specs are.
    existing: Callable[[Sequence[Any]], dict[Any, models.Model]]


def _existing_supervisions(specs: Sequence[SupervisionSpec]) -> dict[Any, models.Model]:
    rows = Supervision.objects.select_for_update().filter(
        municipality__in={s.municipality.pk for s in specs}, reference__in={s.reference for s in specs}
    )
    return {(r.municipality_id, r.authority, r.reference): r for r in rows}


def _existing_complaints(specs: Sequence[ComplaintSpec]) -> dict[Any, models.Model]:
    rows = ComplaintStatistic.objects.select_for_update().filter(
        municipality__in={s.municipality.pk for s in specs}, year__in={s.year for s in specs}
    )
    return {(r.municipality_id, r.domain, r.year): r for r in rows}


def _existing_plans(specs: Sequence[PlanSpec]) -> dict[Any, models.Model]:
    rows = Plan.objects.select_for_update().filter(municipality__in={s.municipality.pk for s in specs})
    return {(r.municipality_id, r.plan_type, r.adopted_on): r for r in rows}


def _existing_cooperations(specs: Sequence[CooperationSpec]) -> dict[Any, models.Model]:
    names = {s.name for s in specs}
    rows = Cooperation.objects.select_for_update().filter(name__in=names)
    return {(r.name.casefold(), r.service_area.casefold()): r for r in rows}


KINDS: dict[type, _Kind] = {
    SupervisionSpec: _Kind(Supervision, _supervision_values, _existing_supervisions),
    ComplaintSpec: _Kind(ComplaintStatistic, _complaint_values, _existing_complaints),
    PlanSpec: _Kind(Plan, _plan_values, _existing_plans),
    CooperationSpec: _Kind(Cooperation, _cooperation_values, _existing_cooperations),
}


def _save(*, actor: Actor, spec: Any, actions: tuple[AuditAction, AuditAction]) -> tuple[models.Model, Outcome]:
    problems = spec.problems()
    if problems:
        raise OversightError(" ".join(problems))
    kind = KINDS[type(spec)]
    with transaction.atomic():
        existing = kind.existing([spec]).get(spec.key)
        values, related = kind.values(spec)
        return _upsert(
            actor=actor, model=kind.model, existing=existing, values=values, related=related, actions=actions
        )


# One record at a time ------------------------------------------------------------------------------


def supervision_register(*, actor: Actor, spec: SupervisionSpec) -> Supervision:
    """Register a supervision, or bring the one with the same authority and case reference up to date."""
    obj, _outcome = _save(
        actor=actor,
        spec=spec,
        actions=(AuditAction.SUPERVISION_REGISTER_CREATE, AuditAction.SUPERVISION_REGISTER_UPDATE),
    )
    return obj  # type: ignore[return-value]


def supervision_close(*, actor: Actor, supervision: Supervision, closed_on: dt.date) -> Supervision:
    """Close a supervision: the authority has accepted that the findings are dealt with."""
    with transaction.atomic():
        supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
        if not supervision.is_open:
            raise OversightError(_("The supervision is already closed."))
        if supervision.carried_out_on and closed_on < supervision.carried_out_on:
            raise OversightError(_("The closing date is before the supervision was carried out."))
        supervision.status = SupervisionStatus.CLOSED
        supervision.closed_on = closed_on
        supervision.save(update_fields=["status", "closed_on", "updated_at"])
        audit.record(
            actor=actor,
            obj=supervision,
            action=AuditAction.SUPERVISION_CLOSE,
            before={"status": SupervisionStatus.OPEN, "closed_on": None},
            after={"status": SupervisionStatus.CLOSED, "closed_on": closed_on.isoformat()},
        )
    return supervision


def complaint_statistic_record(*, actor: Actor, spec: ComplaintSpec) -> ComplaintStatistic:
    obj, _outcome = _save(
        actor=actor,
        spec=spec,
        actions=(AuditAction.COMPLAINT_STATISTIC_RECORD_CREATE, AuditAction.COMPLAINT_STATISTIC_RECORD_UPDATE),
    )
    return obj  # type: ignore[return-value]


def plan_register(*, actor: Actor, spec: PlanSpec) -> Plan:
    obj, _outcome = _save(
        actor=actor, spec=spec, actions=(AuditAction.PLAN_REGISTER_CREATE, AuditAction.PLAN_REGISTER_UPDATE)
    )
    return obj  # type: ignore[return-value]


def cooperation_register(*, actor: Actor, spec: CooperationSpec) -> Cooperation:
    obj, _outcome = _save(
        actor=actor,
        spec=spec,
        actions=(AuditAction.COOPERATION_REGISTER_CREATE, AuditAction.COOPERATION_REGISTER_UPDATE),
    )
    return obj  # type: ignore[return-value]


# Imports -------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def writes(self) -> int:
        return self.counts["created"] + self.counts["updated"]

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.counts["created"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
        }


IMPORT_ACTIONS = {
    "supervisions": (AuditAction.SUPERVISIONS_IMPORT_CREATE, AuditAction.SUPERVISIONS_IMPORT_UPDATE),
    "complaints": (AuditAction.COMPLAINTS_IMPORT_CREATE, AuditAction.COMPLAINTS_IMPORT_UPDATE),
    "plans": (AuditAction.PLANS_IMPORT_CREATE, AuditAction.PLANS_IMPORT_UPDATE),
    "cooperations": (AuditAction.COOPERATIONS_IMPORT_CREATE, AuditAction.COOPERATIONS_IMPORT_UPDATE),
}


def oversight_import(*, actor: Actor, office: Office, kind: str, table: Table) -> ImportResult:
    """Import one file of ``kind`` for ``office``: every row or none.

    Every bad row is reported (ImportRejected, with line numbers) before anything is written; a file
    imported twice writes nothing the second time.
    """
    parsed, errors = parse_table(kind=kind, table=table, office=office)
    for line, spec in parsed:
        errors.extend(RowError(line, problem) for problem in spec.problems())
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    if not parsed:
        return result
    spec_kind = KINDS[type(parsed[0][1])]
    with transaction.atomic():
        existing = spec_kind.existing([spec for _line, spec in parsed])
        foreign = [
            RowError(line, _("This arrangement is registered with no member in your office's area."))
            for line, spec in parsed
            if isinstance(spec, CooperationSpec)
            and spec.key in existing
            and not _cooperation_touches(existing[spec.key], office)  # type: ignore[arg-type]
        ]
        if foreign:
            raise ImportRejected(foreign)
        for _line, spec in parsed:
            values, related = spec_kind.values(spec)
            _obj, outcome = _upsert(
                actor=actor,
                model=spec_kind.model,
                existing=existing.get(spec.key),
                values=values,
                related=related,
                actions=IMPORT_ACTIONS[kind],
            )
            result.counts[outcome] += 1
    return result


def _cooperation_touches(cooperation: Cooperation, office: Office) -> bool:
    return cooperation.members.filter(county__office=office).exists() or (
        cooperation.host is not None and cooperation.host.office == office
    )
