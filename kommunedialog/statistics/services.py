"""Writing statistics: one import service, idempotent and all-or-nothing per source table.

Every importer (SSB answers, other publishers' files) hands over ``cells.Batch``es; this module stitches
their region codes to today's municipalities, combines the figures of merged and split municipalities
where they add up, stores what changed with its provenance, and then recomputes the catalogue's
computed indicators and the group, county and country figures that read the changed series.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.statistics import aggregates, catalogue, derive, storage
from kommunedialog.statistics.cells import Batch, Cell, ImportRefused, from_dataset
from kommunedialog.statistics.jsonstat import Dataset
from kommunedialog.statistics.models import Observation, RegionKind, Revision, StatisticsTable, Stitch
from kommunedialog.statistics.regions import Stitcher, classify, is_merged_series

__all__ = ["ImportRefused", "ImportResult", "revision_of", "statistics_import"]

Progress = Callable[[str, int, int], None]
OSLO = ZoneInfo("Europe/Oslo")
# Fields that make an observation what it is; a re-import that changes none of them writes nothing.
_COMPARED = (
    "value",
    "status",
    "unit",
    "decimals",
    "updated",
    "revision",
    "stitch",
    "stitch_targets",
    "region_kind",
    "region_label",
    "year",
    "inputs",
    "weight",
)
# How many changed cells an audit event spells out; the counts cover the rest.
AUDIT_SAMPLE = 25
SHOWN_CODES = 8
BATCH = 2000
_DERIVED = (Stitch.COMBINED.value, Stitch.APPORTIONED.value)


@dataclass
class ImportResult:
    table: str
    cells: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    older_kept: int = 0
    combined: int = 0
    status: Counter[str] = field(default_factory=Counter)
    unstitched: dict[str, str] = field(default_factory=dict)  # old code -> why it was not carried over as it is
    indicators: list[str] = field(default_factory=list)  # catalogue indicators that show these figures
    inputs_to: list[str] = field(default_factory=list)  # computed indicators these figures are inputs to
    # The series the catalogue reads from this table when the file gave none of them (else empty).
    missed: list[str] = field(default_factory=list)
    new_periods: dict[str, list[str]] = field(default_factory=dict)  # series -> periods not stored before
    revised: int = 0  # stored figures whose value changed
    finalised: int = 0  # stored figures that went from preliminary to final
    report: list[str] = field(default_factory=list)  # the importer's and the stitching's remarks
    computed: dict[str, int] = field(default_factory=dict)
    aggregates: dict[str, int] = field(default_factory=dict)

    @property
    def writes(self) -> int:
        return self.created + self.changed

    def as_dict(self) -> dict[str, Any]:
        return {
            "cells": self.cells,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "new_periods": sorted({p for periods in self.new_periods.values() for p in periods}),
            "revised": self.revised,
            "finalised": self.finalised,
            "indicators": self.indicators,
            "inputs_to": self.inputs_to,
        }

    def summary(self) -> str:
        text = (
            f"{self.table}: {self.cells} cells, {self.created} created, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )
        if self.older_kept:
            text += f", {self.older_kept} kept because the stored figures are newer"
        if self.combined:
            text += f"; {self.combined} figures of merged or split municipalities combined for today's"
        if self.unstitched:
            by_reason: dict[str, list[str]] = defaultdict(list)
            for code, why in sorted(self.unstitched.items()):
                by_reason[why].append(code)
            parts = [
                f"{len(codes)} {why} ({', '.join(codes[:SHOWN_CODES])}{', …' if len(codes) > SHOWN_CODES else ''})"
                for why, codes in sorted(by_reason.items())
            ]
            text += f"; old codes not carried over as they are: {'; '.join(parts)}"
        if self.indicators:
            text += f"; feeds the catalogue's {', '.join(self.indicators)}"
        if self.inputs_to:
            text += f"; input to {len(self.inputs_to)} computed indicators"
        if self.missed:
            # A statbank CSV export names contents by label ("Persons"), not code ("Personer1"): stored,
            # but no page shows it. Say so rather than let the importer believe the figures are in use.
            text += (
                "; no catalogue indicator reads these figures — the catalogue reads "
                f"{', '.join(self.missed)} (table/content/filters); import SSB's JSON-stat answer for those"
            )
        return "\n  ".join([text, *self.report])


def revision_of(*, kostra: bool, year: int | None, updated: dt.datetime | None, fetched_at: dt.datetime) -> Revision:
    """KOSTRA figures for a year are published unrevised on 15 March and revised on 15 June of the next
    year; SSB does not flag which, so the table's update time decides. Other tables publish final figures."""
    if not kostra or year is None:
        return Revision.FINAL
    when = (updated or fetched_at).astimezone(OSLO).date()
    return Revision.PRELIMINARY if when < dt.date(year + 1, 6, 15) else Revision.FINAL


def _match_catalogue(result: ImportResult, series: set[str]) -> None:
    readers = {i.key: i for s in series for i in catalogue.readers_of(s)}
    direct = sorted(k for k, i in readers.items() if set(i.all_series) & series)
    wanted = sorted({s.series for s in catalogue.ssb_sources(result.table)})
    result.indicators = direct
    result.inputs_to = sorted(set(readers) - set(direct))
    result.missed = [] if readers or not wanted else wanted


Row = dict[str, Any]
Key = tuple[str, str, str, str]  # series, region, period, municipality


class _Rows:
    """Turns a batch's cells into observation rows: stitched to today's codes, merged and split
    municipalities combined where the figures add up."""

    def __init__(self, batch: Batch, *, fetched_at: dt.datetime, stitcher: Stitcher, result: ImportResult) -> None:
        self.batch, self.fetched_at, self.stitcher, self.result = batch, fetched_at, stitcher, result
        self.rows: dict[Key, Row] = {}
        additive = catalogue.additive_series()
        self.additive = {c for c in batch.additive} | {
            c for c in batch.contents if f"{batch.table_id}/{c}/" in additive
        }
        self._additive_series = additive
        self._revision: dict[int | None, str] = {}
        dropped: dict[str, set[str]] = defaultdict(set)
        # (series, period, target) -> [(code, share, cell)]
        self.pieces: dict[tuple[str, str, str], list[tuple[str, float, Cell]]] = defaultdict(list)
        self.values: dict[tuple[str, str, str, str], float | None] = {}
        for cell in batch.cells:
            self._add(cell, dropped)
        for code, found in sorted(dropped.items()):
            periods = sorted(found)
            result.report.append(
                f"{code}: {len(periods)} periods before or after the code was in use ({periods[0]}–{periods[-1]}) "
                "answered 0; not stored as figures"
            )
        self._combine()

    def revision(self, year: int | None) -> str:
        if year not in self._revision:
            self._revision[year] = revision_of(
                kostra=self.batch.kostra, year=year, updated=self.batch.updated, fetched_at=self.fetched_at
            ).value
        return self._revision[year]

    def _base(self, cell: Cell, series: str, year: int | None) -> Row:
        unit, decimals = self.batch.units.get(cell.content, ("", self.batch.default_decimals))
        return {
            "series": series,
            "content_code": cell.content,
            "filters": cell.filters,
            "region": cell.region,
            "region_label": cell.region_label[:120],
            "period": cell.period,
            "year": year,
            "value": cell.value,
            "status": cell.status,
            "unit": unit[:60],
            "decimals": decimals,
            "updated": self.batch.updated,
            "revision": self.revision(year),
            "inputs": cell.inputs or {},
            "weight": None,
        }

    def _add(self, cell: Cell, dropped: dict[str, set[str]]) -> None:
        series = self.batch.series(cell)
        year = cell.period_year
        kind = classify(cell.region)
        row = self._base(cell, series, year)
        row["region_kind"] = kind.kind.value
        if cell.status:
            self.result.status[cell.status] += 1
        if kind.kind is not RegionKind.MUNICIPALITY:
            row.update(municipality="", stitch=Stitch.NOT_MUNICIPALITY.value, stitch_targets="")
            self.rows[(series, cell.region, cell.period, "")] = row
            return
        code = kind.key
        if (
            cell.value == 0
            and year is not None
            and cell.code_year is None
            and not is_merged_series(cell.region)
            and self.stitcher.known(code)
            and not self.stitcher.valid_in(code, year)
        ):
            # SSB answers 0, not "..", for a code outside its years when no merged-series code list is
            # used (07459 for 3101 Halden before 2024): that 0 describes no municipality.
            dropped[cell.region].add(cell.period)
            return
        stitched = self.stitcher.stitch(code, cell.code_year or year)
        carried = stitched.municipality
        row.update(
            municipality=carried,
            stitch=stitched.stitch.value,
            stitch_targets="" if carried else ",".join(t for t, _ in stitched.targets),
        )
        self.rows[(series, cell.region, cell.period, carried)] = row
        self.values[(series, code, cell.period, cell.filters)] = cell.value
        if not carried:
            if stitched.stitch in (Stitch.MERGED, Stitch.SPLIT, Stitch.UNKNOWN):
                self.result.unstitched[cell.region] = stitched.stitch.value
            if cell.content in self.additive or cell.content in self.batch.weight_by or series in self._additive_series:
                for target, share in stitched.targets:
                    self.pieces[(series, cell.period, target)].append((code, share, cell))

    def _combine(self) -> None:
        gaps: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (series, period, target), pieces in sorted(self.pieces.items()):
            cell = pieces[0][2]
            year = cell.period_year
            if year is None:
                continue
            expected = self.stitcher.expected(target, cell.code_year or year)
            have = {code for code, _, _ in pieces}
            missing = sorted(expected - have)
            if missing or any(c.value is None for _, _, c in pieces):
                gaps[(target, ", ".join(missing) or "figures missing")].add(period)
                continue
            inputs: list[dict[str, Any]] = []
            numerator, denominator = 0.0, 0.0
            by = self.batch.weight_by.get(cell.content)
            for code, share, piece in sorted(pieces, key=lambda p: p[0]):
                value = float(piece.value or 0.0)
                item: dict[str, Any] = {"region": piece.region, "share": share, "value": value}
                if by is not None:
                    weight = self.values.get(
                        (f"{self.batch.table_id}/{by}/{piece.filters}", code, period, piece.filters)
                    )
                    if weight is None:
                        inputs = []
                        break
                    item["denominator"] = weight
                    numerator += share * value * weight
                    denominator += share * weight
                else:
                    numerator += share * value
                inputs.append(item)
            if not inputs or (by is not None and denominator == 0):
                gaps[(target, f"no {by} to weight by")].add(period)
                continue
            value = numerator / denominator if by is not None else numerator
            apportioned = any(i["share"] < 1 for i in inputs)
            row = self._base(cell, series, year)
            row.update(
                region="+".join(i["region"] for i in inputs),
                region_label="",
                region_kind=RegionKind.MUNICIPALITY.value,
                municipality=target,
                stitch=(Stitch.APPORTIONED if apportioned else Stitch.COMBINED).value,
                stitch_targets="",
                value=value,
                status="",
                inputs={"method": f"weighted by {by}" if by else "sum", "from": inputs},
                weight=inputs[0]["share"] if len(inputs) == 1 else None,
            )
            self.rows[(series, row["region"], period, target)] = row
            self.result.combined += 1
        for (target, why), periods in sorted(gaps.items()):
            first, last = min(periods), max(periods)
            self.result.report.append(
                f"{target}: former municipalities not combined for {first}–{last} ({why} has no figure)"
                if why[0].isdigit()
                else f"{target}: former municipalities not combined for {first}–{last} ({why})"
            )


def statistics_import(
    *,
    batches: Sequence[Batch] = (),
    datasets: Sequence[Dataset] = (),
    origin: str,
    table_id: str | None = None,
    fetched_at: dt.datetime | None = None,
    actor: Actor = SYSTEM,
    progress: Progress | None = None,
    refresh: bool = True,
) -> ImportResult:
    """Store the cells of one source table (one or more answers or files for it) with their provenance.

    All-or-nothing: one transaction per table. Idempotent: cells already stored as they are are left
    alone, so importing the same file twice writes (and audits) nothing the second time. Figures the
    publisher updated later than the answer's own ``updated`` are kept, never overwritten by an older file.
    ``refresh=False`` leaves the computed indicators and aggregates to one ``statistics_refresh_aggregates``
    after a batch of imports (the demo).
    """
    report = progress or (lambda step, done, total: None)
    fetched_at = fetched_at or timezone.now()
    batches = [*batches, *(from_dataset(d, table_id=table_id) for d in datasets)]
    ids = {b.table_id for b in batches} | ({table_id} if table_id else set())
    if len(ids) != 1:
        raise ImportRefused(
            "The table number is unknown; pass it explicitly"
            if not ids
            else f"One import is one table, these answers are for {', '.join(sorted(ids))}"
        )
    table_id = ids.pop()
    result = ImportResult(table=table_id)
    stitcher = Stitcher()
    rows: dict[Key, Row] = {}
    for batch in batches:
        result.report.extend(batch.report)
        rows.update(_Rows(batch, fetched_at=fetched_at, stitcher=stitcher, result=result).rows)
    result.cells = len(rows)
    touched = {key[0] for key in rows}
    _match_catalogue(result, touched)
    newest = max((b.updated for b in batches if b.updated), default=None)
    with transaction.atomic():
        table = StatisticsTable.objects.select_for_update().filter(table_id=table_id).first()
        existing: dict[Key, Observation] = {}
        known_periods: dict[str, set[str]] = defaultdict(set)
        if table is not None:
            for o in Observation.objects.filter(table=table, series__in=touched).only(
                "pk", "series", "region", "period", "municipality", "fetched_at", *_COMPARED
            ):
                existing[(o.series, o.region, o.period, o.municipality)] = o
                known_periods[o.series].add(o.period)
        to_create: list[Row] = []
        to_update: list[Observation] = []
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for i, (key, row) in enumerate(rows.items(), start=1):
            current = existing.pop(key, None)
            if current is None:
                to_create.append(row)
                if key[1] and key[2] not in known_periods[key[0]] and table is not None:
                    result.new_periods.setdefault(key[0], [])
                    if key[2] not in result.new_periods[key[0]]:
                        result.new_periods[key[0]].append(key[2])
            elif current.updated and row["updated"] and current.updated > row["updated"]:
                result.older_kept += 1
            elif any(getattr(current, name) != row[name] for name in _COMPARED):
                label = "|".join(key)
                if len(before) < AUDIT_SAMPLE:
                    before[label] = [current.value, current.status, current.revision]
                    after[label] = [row["value"], row["status"], row["revision"]]
                if current.value != row["value"]:
                    result.revised += 1
                if current.revision == Revision.PRELIMINARY and row["revision"] == Revision.FINAL:
                    result.finalised += 1
                for name in _COMPARED:
                    setattr(current, name, row[name])
                current.fetched_at = fetched_at
                to_update.append(current)
            else:
                result.unchanged += 1
            if i % 5000 == 0 or i == len(rows):
                report(f"Table {table_id}: comparing", i, len(rows))
        # Combined figures this import no longer produces (a predecessor's figure went missing) go.
        periods = {(k[0], k[2]) for k in rows}
        stale = [o.pk for k, o in existing.items() if o.stitch in _DERIVED and (k[0], k[2]) in periods]
        result.created, result.changed = len(to_create), len(to_update) + len(stale)
        metadata = _table_metadata(table, batches, newest)
        metadata_changed = table is None or any(getattr(table, k) != v for k, v in metadata.items())
        if not result.writes and not metadata_changed:
            return result
        if table is None:
            table = StatisticsTable.objects.create(
                table_id=table_id,
                source=next((b.source for b in batches if b.source), "")[:200],
                updated=newest,
                fetched_at=fetched_at,
                origin=origin[:500],
                **metadata,
            )
        else:
            for name, value in metadata.items():
                setattr(table, name, value)
            if newest is not None and (table.updated is None or newest > table.updated):
                table.updated = newest
            table.fetched_at, table.origin = fetched_at, origin[:500]
            table.save()
        Observation.objects.filter(pk__in=stale).delete()
        storage.insert([{**row, "table_id": table.pk, "fetched_at": fetched_at} for row in to_create])
        Observation.objects.bulk_update(to_update, [*_COMPARED, "fetched_at"], batch_size=BATCH)
        report(f"Table {table_id}: stored", result.cells, result.cells)
        if refresh:
            result.computed = derive.refresh(series=touched, now=fetched_at)
            result.aggregates = aggregates.refresh(series=touched, now=fetched_at)
        if len(to_create) >= storage.ANALYZE_AFTER:
            transaction.on_commit(storage.analyze)
        audit.record(
            actor=actor,
            obj=table,
            action=AuditAction.STATISTICS_IMPORT,
            before=before,
            after={
                **after,
                "origin": origin[:500],
                "updated": newest.isoformat() if newest else None,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "computed": result.computed,
                "aggregates": result.aggregates,
            },
        )
    return result


def _table_metadata(table: StatisticsTable | None, batches: Sequence[Batch], newest: dt.datetime | None) -> Row:
    label = next((b.label for b in batches if b.label), batches[0].table_id if batches else "")
    notes = sorted({n for b in batches for n in b.notes})
    contents = dict(table.contents) if table else {}
    for batch in batches:
        contents.update(batch.contents)
    metadata: Row = {"label": label[:500], "notes": notes, "contents": contents}
    if table is not None and newest is not None and table.updated is not None and table.updated > newest:
        return {}  # an older answer does not describe the table
    if table is not None and newest is None:
        # An answer without the publisher's update time (a CSV export) only fills in what the table lacks;
        # otherwise two files of one table would overwrite each other's description on every run.
        return {k: v for k, v in metadata.items() if not getattr(table, k)}
    return metadata


def statistics_refresh_aggregates(*, actor: Actor = SYSTEM) -> dict[str, int]:
    """Recompute every computed indicator and aggregate, e.g. after the register's KOSTRA groups changed."""
    with transaction.atomic():
        every = {s for i in catalogue.with_figures() for s in i.all_series}
        now = timezone.now()
        computed = derive.refresh(series=every, now=now)
        counts = aggregates.refresh(series=every, now=now)
        latest = aggregates.latest()
        if latest is not None and (any(counts.values()) or any(computed.values())):
            audit.record(actor=actor, obj=latest, action=AuditAction.STATISTICS_REFRESH_AGGREGATES, after=counts)
        transaction.on_commit(storage.analyze)
    return counts
