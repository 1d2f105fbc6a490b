"""Writing the register: one import service, idempotent and all-or-nothing, and the one field an
administrator keeps by hand (an office's organisation number)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.registry.models import Boundary, CodeChange, County, KostraGroup, Municipality, Neighbour, Office
from kommunedialog.registry.organisation_number import validate_organisation_number
from kommunedialog.registry.sources import ChangeSpec, RegistrySource

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def tally(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def writes(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def summary(self) -> str:
        parts = [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]
        return "\n".join(parts)


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(obj, name + "_id" if obj._meta.get_field(name).is_relation else name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def _upsert(
    *,
    kind: str,
    existing: models.Model | None,
    model: type[models.Model],
    values: dict[str, Any],
    actor: Actor,
    result: ImportResult,
) -> models.Model:
    """Create or update one row, writing (and auditing) only when something differs."""
    fields = list(values)
    if existing is None:
        obj: models.Model = model._default_manager.create(**values)
        audit.record(actor=actor, obj=obj, action=AuditAction.REGISTRY_IMPORT_CREATE, after=_snapshot(obj, fields))
        result.tally(kind, "created")
        return obj
    before = _snapshot(existing, fields)
    for name, value in values.items():
        setattr(existing, name, value)
    after = _snapshot(existing, fields)
    if before == after:
        result.tally(kind, "unchanged")
        return existing
    existing.save(update_fields=fields)
    old, new = audit.changed_fields(before, after)
    audit.record(actor=actor, obj=existing, action=AuditAction.REGISTRY_IMPORT_UPDATE, before=old, after=new)
    result.tally(kind, "updated")
    return existing


def _split_weights(
    source: RegistrySource, existing: dict[tuple[str, str, dt.date], CodeChange]
) -> dict[ChangeSpec, tuple[Decimal, str]]:
    by_origin: dict[tuple[str, dt.date], list[ChangeSpec]] = defaultdict(list)
    for change in source.changes:
        if change.old_code != change.new_code:
            by_origin[(change.old_code, change.occurred_on)].append(change)
    weights: dict[ChangeSpec, tuple[Decimal, str]] = {}
    for parts in by_origin.values():
        if len(parts) == 1:
            continue
        for part in parts:
            key = (part.old_code, part.new_code)
            known = existing.get((part.old_code, part.new_code, part.occurred_on))
            if source.split_weights is not None and key in source.split_weights:
                weights[part] = (source.split_weights[key], CodeChange.WeightSource.FHI)
            elif source.split_weights is None and known is not None:
                weights[part] = (known.weight, known.weight_source)  # this source has no opinion
            else:
                weights[part] = ((Decimal(1) / len(parts)).quantize(Decimal("0.0001")), CodeChange.WeightSource.EQUAL)
    return weights


def _at_quarter(done: int, total: int) -> bool:
    """Progress is reported at each quarter of a step, so long steps show movement without flooding."""
    return done == total or done % max(1, total // 4) == 0


@dataclass(frozen=True)
class _Version:
    number: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


def _code_versions(source: RegistrySource) -> list[_Version]:
    """Turn current codes plus history into code versions with validity dates.

    A version starts at the first change that created the number after its previous version
    ended (or is open-ended back in time when history does not say), and ends at the change that
    retired it.
    """
    starts: dict[str, list[dt.date]] = defaultdict(list)
    ends: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for c in source.changes:
        if c.old_code == c.new_code:
            continue
        starts[c.new_code].append(c.occurred_on)
        ends[c.old_code].append((c.occurred_on, c.old_name))

    def first_start(number: str, after: dt.date | None, before: dt.date | None) -> dt.date | None:
        candidates = [d for d in starts[number] if (after is None or d > after) and (before is None or d < before)]
        return min(candidates, default=None)

    versions = []
    for number in sorted(set(ends) | set(source.codes)):
        previous_end: dt.date | None = None
        for end, name in sorted(set(ends[number])):
            versions.append(_Version(number, name, first_start(number, previous_end, end), end))
            previous_end = end
        if number in source.codes:
            versions.append(_Version(number, source.codes[number], first_start(number, previous_end, None), None))
    return versions


def _name_parts(official: str, norwegian: str | None) -> tuple[str, list[str]]:
    parts = [p.strip() for p in official.split(" - ") if p.strip()]
    norwegian = norwegian if norwegian in parts else parts[0]
    return norwegian, [p for p in parts if p != norwegian]


def registry_import(*, source: RegistrySource, actor: Actor = SYSTEM, progress: Progress | None = None) -> ImportResult:
    """Bring the register in line with ``source``. Runs in one transaction: a failure leaves no trace.

    Rows the source does not mention are kept (history is not deleted); fields the source says
    nothing about are kept as they are.
    """
    report = progress or (lambda step, done, total: None)
    result = ImportResult()
    with transaction.atomic():
        offices = {o.code: o for o in Office.objects.select_for_update()}
        counties = {c.number: c for c in County.objects.select_for_update()}
        for spec in source.offices:
            office = _upsert(
                kind="offices",
                existing=offices.get(spec.code),
                model=Office,
                values={"code": spec.code, "name": spec.name},
                actor=actor,
                result=result,
            )
            for number, name in spec.counties:
                counties[number] = _upsert(
                    kind="counties",
                    existing=counties.get(number),
                    model=County,
                    values={"number": number, "name": name, "office": office},
                    actor=actor,
                    result=result,
                )  # type: ignore[assignment]
        report("Offices and counties", len(source.offices), len(source.offices))

        groups = {g.code: g for g in KostraGroup.objects.select_for_update()}
        for code, name in sorted((source.kostra_groups or {}).items()):
            groups[code] = _upsert(  # type: ignore[assignment]
                kind="KOSTRA groups",
                existing=groups.get(code),
                model=KostraGroup,
                values={"code": code, "name": name},
                actor=actor,
                result=result,
            )

        existing_changes = {(c.old_code, c.new_code, c.occurred_on): c for c in CodeChange.objects.select_for_update()}
        weights = _split_weights(source, existing_changes)
        for i, change in enumerate(source.changes, start=1):
            weight, weight_source = weights.get(change, (Decimal(1), CodeChange.WeightSource.WHOLE))
            _upsert(
                kind="code changes",
                existing=existing_changes.get((change.old_code, change.new_code, change.occurred_on)),
                model=CodeChange,
                values={
                    "old_code": change.old_code,
                    "old_name": change.old_name,
                    "new_code": change.new_code,
                    "new_name": change.new_name,
                    "occurred_on": change.occurred_on,
                    "weight": weight,
                    "weight_source": weight_source,
                },
                actor=actor,
                result=result,
            )
            if _at_quarter(i, len(source.changes)):
                report("Code history", i, len(source.changes))

        rows = {(m.number, m.valid_to): m for m in Municipality.objects.select_for_update()}
        versions = _code_versions(source)
        for i, version in enumerate(versions, start=1):
            existing = rows.get((version.number, version.valid_to))
            if existing is None and version.valid_to is not None:
                # A municipality that was current at the last import and has since been retired.
                existing = rows.get((version.number, None))
            values: dict[str, Any] = {
                "number": version.number,
                "name": version.name,
                "valid_from": version.valid_from,
                "valid_to": version.valid_to,
            }
            facts = source.facts.get(version.number) if source.facts is not None and version.valid_to is None else None
            if version.valid_to is None:
                values["county"] = counties.get(version.number[:2])
                if values["county"] is None:
                    raise ValueError(
                        f"{version.number} {version.name}: no county {version.number[:2]} in the offices reference"
                    )
            keep_name = existing.name_norwegian if existing is not None and existing.name == version.name else None
            norwegian, others = _name_parts(version.name, facts.name_norwegian if facts else keep_name)
            values.update(name_norwegian=norwegian, other_names=others)
            if facts is not None:
                values.update(
                    language_form=facts.language_form or "",
                    population=facts.population,
                    population_year=facts.population_year,
                    centrality=facts.centrality,
                    kostra_group=groups.get(facts.kostra_group) if facts.kostra_group else None,
                )
            _upsert(
                kind="municipalities", existing=existing, model=Municipality, values=values, actor=actor, result=result
            )
            if _at_quarter(i, len(versions)):
                report("Municipalities", i, len(versions))

        if source.boundaries is not None:
            outlines = {b.number: b for b in Boundary.objects.select_for_update()}
            specs = sorted(source.boundaries.values(), key=lambda b: b.number)
            for i, outline in enumerate(specs, start=1):
                _upsert(
                    kind="boundaries",
                    existing=outlines.get(outline.number),
                    model=Boundary,
                    values={
                        "number": outline.number,
                        "path": outline.path,
                        "min_x": outline.min_x,
                        "min_y": outline.min_y,
                        "max_x": outline.max_x,
                        "max_y": outline.max_y,
                    },
                    actor=actor,
                    result=result,
                )
                if _at_quarter(i, len(specs)):
                    report("Boundaries", i, len(specs))

        if source.neighbours is not None:
            _sync_neighbours(source.neighbours, actor=actor, result=result)
            report("Neighbours", len(source.neighbours), len(source.neighbours))
    return result


def _sync_neighbours(pairs: set[tuple[str, str]], *, actor: Actor, result: ImportResult) -> None:
    """Neighbours are derived from the map as a whole: pairs the map no longer has are removed, new ones
    added, and the change audited once (with the pairs) rather than per row."""
    held = {(n.first, n.second): n for n in Neighbour.objects.select_for_update()}
    added = sorted(pairs - set(held))
    gone = sorted(set(held) - pairs)
    for _pair in pairs & set(held):
        result.tally("neighbours", "unchanged")
    if not added and not gone:
        return
    Neighbour.objects.filter(pk__in=[held[p].pk for p in gone]).delete()
    created = Neighbour.objects.bulk_create([Neighbour(first=a, second=b) for a, b in added])
    for _pair in added:
        result.tally("neighbours", "created")
    for _pair in gone:
        result.tally("neighbours", "updated")  # removed: counted as a write
    anchor = created[0] if created else Neighbour.objects.first()
    if anchor is not None:
        audit.record(
            actor=actor,
            obj=anchor,
            action=AuditAction.REGISTRY_IMPORT_UPDATE if gone else AuditAction.REGISTRY_IMPORT_CREATE,
            before={"neighbours_removed": ["-".join(p) for p in gone]},
            after={"neighbours_added": len(added)},
        )


def office_set_organisation_number(*, office: Office, actor: Actor, organisation_number: str) -> Office:
    """Set (or clear, with "") the office's organisation number. Raises ValidationError for a number
    that is not nine digits with a valid check digit; the same number again writes nothing."""
    organisation_number = organisation_number.strip()
    validate_organisation_number(organisation_number)
    with transaction.atomic():
        locked = Office.objects.select_for_update().get(pk=office.pk)
        if locked.organisation_number == organisation_number:
            return locked
        before = {"organisation_number": locked.organisation_number}
        locked.organisation_number = organisation_number
        locked.save(update_fields=["organisation_number"])
        audit.record(
            actor=actor,
            obj=locked,
            action=AuditAction.OFFICE_ORGANISATION_NUMBER,
            before=before,
            after={"organisation_number": organisation_number},
        )
    return locked
