"""Writing statistics: one import service, idempotent and all-or-nothing per table."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, comparison
from kommunedialog.statistics.catalogue import filters_key, series_key
from kommunedialog.statistics.jsonstat import Dataset, Dimension
from kommunedialog.statistics.models import Aggregate, Observation, RegionKind, Revision, StatisticsTable, Stitch
from kommunedialog.statistics.regions import Stitcher, classify

Progress = Callable[[str, int, int], None]
OSLO = ZoneInfo("Europe/Oslo")
_YEAR_RE = re.compile(r"^(\d{4})")
# Fields that make an observation what it is; a re-import that changes none of them writes nothing.
_COMPARED = (
    "value",
    "status",
    "unit",
    "decimals",
    "updated",
    "revision",
    "municipality",
    "stitch",
    "stitch_targets",
    "region_kind",
    "year",
)
# How many changed cells an audit event spells out; the counts cover the rest.
AUDIT_SAMPLE = 25
BATCH = 2000


class ImportRefused(ValueError):
    """The dataset cannot be stored (no table number, no time or content variable)."""


@dataclass
class ImportResult:
    table: str
    cells: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    older_kept: int = 0
    status: Counter[str] = field(default_factory=Counter)
    unstitched: dict[str, str] = field(default_factory=dict)  # old code -> why it was not carried over
    indicators: list[str] = field(default_factory=list)  # catalogue indicators these figures feed
    # The series the catalogue reads from this table when the file gave none of them (else empty).
    missed: list[str] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return self.created + self.changed

    def summary(self) -> str:
        text = (
            f"{self.table}: {self.cells} cells, {self.created} created, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )
        if self.older_kept:
            text += f", {self.older_kept} kept because the stored figures are newer"
        if self.unstitched:
            codes = ", ".join(f"{code} ({why})" for code, why in sorted(self.unstitched.items()))
            text += f"; not carried over to current municipalities: {codes}"
        if self.indicators:
            text += f"; feeds the catalogue's {', '.join(self.indicators)}"
        if self.missed:
            # A statbank CSV export names contents by label ("Persons"), not code ("Personer1"): stored,
            # but no page shows it. Say so rather than let the importer believe the figures are in use.
            text += (
                "; no catalogue indicator reads these figures — the catalogue reads "
                f"{', '.join(self.missed)} (table/content/filters); import SSB's JSON-stat answer for those"
            )
        return text


def _match_catalogue(result: ImportResult, series: set[str]) -> None:
    wanted = {i.series: i.key for i in catalogue.indicators() if i.table == result.table and i.series}
    result.indicators = sorted(key for s, key in wanted.items() if s in series)
    result.missed = [] if result.indicators else sorted(wanted)


def is_kostra(dataset: Dataset) -> bool:
    metric = dataset.role("metric")
    return any(d.id.startswith("KOK") for d in dataset.dimensions) or (
        metric is not None and any(c.startswith("KOS") for c in metric.codes)
    )


def revision_of(*, kostra: bool, year: int | None, updated: dt.datetime | None, fetched_at: dt.datetime) -> Revision:
    """KOSTRA figures for a year are published unrevised on 15 March and revised on 15 June of the next
    year; SSB does not flag which, so the table's update time decides. Other tables publish final figures."""
    if not kostra or year is None:
        return Revision.FINAL
    when = (updated or fetched_at).astimezone(OSLO).date()
    return Revision.PRELIMINARY if when < dt.date(year + 1, 6, 15) else Revision.FINAL


@dataclass(frozen=True)
class _Layout:
    metric: Dimension
    time: Dimension
    geo: Dimension | None
    others: tuple[Dimension, ...]


def _layout(dataset: Dataset) -> _Layout:
    metric, time = dataset.role("metric"), dataset.role("time")
    if metric is None or time is None:
        raise ImportRefused(
            f"Table {dataset.table_id or '?'}: a dataset needs a time and a content (metric) variable to be stored; "
            f"it has {', '.join(dataset.ids)}"
        )
    geo = dataset.role("geo")
    others = tuple(d for d in dataset.dimensions if d not in (metric, time, geo))
    return _Layout(metric, time, geo, others)


def _rows(
    dataset: Dataset, *, table_id: str, fetched_at: dt.datetime, stitcher: Stitcher, result: ImportResult
) -> dict[tuple[str, str, str], dict[str, Any]]:
    layout = _layout(dataset)
    kostra = is_kostra(dataset)
    positions = {d.id: i for i, d in enumerate(dataset.dimensions)}
    px = dataset.extension.get("px")
    default_decimals = px.get("decimals") if isinstance(px, dict) and isinstance(px.get("decimals"), int) else None
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for codes, value, symbol in dataset.iter_cells():
        content = codes[positions[layout.metric.id]]
        period = codes[positions[layout.time.id]]
        region = codes[positions[layout.geo.id]] if layout.geo else ""
        filters = filters_key({d.id: codes[positions[d.id]] for d in layout.others})
        year_match = _YEAR_RE.match(period)
        year = int(year_match.group(1)) if year_match else None
        kind = classify(region)
        if kind.kind is RegionKind.MUNICIPALITY:
            stitched = stitcher.stitch(kind.key, year)
            if stitched.stitch in (Stitch.MERGED, Stitch.SPLIT, Stitch.UNKNOWN):
                result.unstitched[region] = stitched.stitch.value
        else:
            stitched = None
        unit = layout.metric.units.get(content)
        series = series_key(table_id, content, filters)
        if symbol:
            result.status[symbol] += 1
        rows[(series, region, period)] = {
            "series": series,
            "content_code": content,
            "filters": filters,
            "region": region,
            "region_kind": kind.kind.value,
            "municipality": stitched.municipality if stitched else "",
            "stitch": stitched.stitch.value if stitched else Stitch.NOT_MUNICIPALITY.value,
            "stitch_targets": ",".join(stitched.targets) if stitched and not stitched.municipality else "",
            "period": period,
            "year": year,
            "value": None if value is None else float(value),
            "status": symbol or "",
            "unit": unit.base if unit else "",
            "decimals": unit.decimals if unit and unit.decimals is not None else default_decimals,
            "updated": dataset.updated,
            "revision": revision_of(kostra=kostra, year=year, updated=dataset.updated, fetched_at=fetched_at).value,
        }
    return rows


def statistics_import(
    *,
    datasets: Sequence[Dataset],
    origin: str,
    table_id: str | None = None,
    fetched_at: dt.datetime | None = None,
    actor: Actor = SYSTEM,
    progress: Progress | None = None,
) -> ImportResult:
    """Store the cells of one SSB table (one or more answers for it) with their provenance.

    All-or-nothing: one transaction per table. Idempotent: cells already stored as they are in the
    answer are left alone, so importing the same file twice writes (and audits) nothing the second
    time. Figures SSB updated later than the answer's own ``updated`` are kept, never overwritten by
    an older file.
    """
    report = progress or (lambda step, done, total: None)
    fetched_at = fetched_at or timezone.now()
    ids = {d.table_id for d in datasets if d.table_id} | ({table_id} if table_id else set())
    if len(ids) != 1:
        raise ImportRefused(
            "The table number is unknown; pass it explicitly"
            if not ids
            else f"One import is one table, these answers are for {', '.join(sorted(ids))}"
        )
    table_id = ids.pop()
    result = ImportResult(table=table_id)
    stitcher = Stitcher()
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for dataset in datasets:
        rows.update(_rows(dataset, table_id=table_id, fetched_at=fetched_at, stitcher=stitcher, result=result))
    result.cells = len(rows)
    _match_catalogue(result, {key[0] for key in rows})
    newest = max((d.updated for d in datasets if d.updated), default=None)
    with transaction.atomic():
        table = StatisticsTable.objects.select_for_update().filter(table_id=table_id).first()
        existing = {}
        if table is not None:
            series = {key[0] for key in rows}
            existing = {
                (o.series, o.region, o.period): o
                for o in Observation.objects.filter(table=table, series__in=series).only(
                    "pk", "series", "region", "period", "fetched_at", *_COMPARED
                )
            }
        to_create: list[dict[str, Any]] = []
        to_update: list[Observation] = []
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for i, (key, row) in enumerate(rows.items(), start=1):
            current = existing.get(key)
            if current is None:
                to_create.append(row)
            elif current.updated and row["updated"] and current.updated > row["updated"]:
                result.older_kept += 1
            elif any(getattr(current, name) != row[name] for name in _COMPARED):
                label = "|".join(key)
                if len(before) < AUDIT_SAMPLE:
                    before[label] = [current.value, current.status, current.revision]
                    after[label] = [row["value"], row["status"], row["revision"]]
                for name in _COMPARED:
                    setattr(current, name, row[name])
                current.fetched_at = fetched_at
                to_update.append(current)
            else:
                result.unchanged += 1
            if i % 5000 == 0 or i == len(rows):
                report(f"Table {table_id}: comparing", i, len(rows))
        result.created, result.changed = len(to_create), len(to_update)
        label = next((d.label for d in datasets if d.label), table_id)
        notes = sorted({n for d in datasets for n in d.mandatory_notes})
        contents = dict(table.contents) if table else {}
        for dataset in datasets:
            metric = dataset.role("metric")
            if metric is not None:
                contents.update(zip(metric.codes, metric.labels, strict=True))
        metadata = {"label": label[:500], "notes": notes, "contents": contents}
        if table is not None and newest is not None and table.updated is not None and table.updated > newest:
            metadata = {}  # an older answer does not describe the table
        elif table is not None and newest is None:
            # An answer without SSB's update time (a CSV export) only fills in what the table lacks;
            # otherwise two files of one table would overwrite each other's description on every run.
            metadata = {k: v for k, v in metadata.items() if not getattr(table, k)}
        metadata_changed = table is None or any(getattr(table, k) != v for k, v in metadata.items())
        if not result.writes and not metadata_changed:
            return result
        if table is None:
            table = StatisticsTable.objects.create(
                table_id=table_id,
                source=next((d.source for d in datasets if d.source), ""),
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
        Observation.objects.bulk_create(
            [Observation(table=table, fetched_at=fetched_at, **row) for row in to_create], batch_size=BATCH
        )
        Observation.objects.bulk_update(to_update, [*_COMPARED, "fetched_at"], batch_size=BATCH)
        report(f"Table {table_id}: stored", result.cells, result.cells)
        aggregates = _refresh_aggregates(series={row["series"] for row in rows.values()}, now=fetched_at)
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
                "aggregates": aggregates,
            },
        )
    return result


# ── Aggregates ────────────────────────────────────────────────────────────────────────────────────
_AGGREGATE_FIELDS = ("value", "method", "members", "with_value", "q1", "median", "q3", "updated")
_SCOPE_OF_KIND = {
    RegionKind.KOSTRA_GROUP.value: comparison.Scope.KOSTRA_GROUP,
    RegionKind.COUNTY.value: comparison.Scope.COUNTY,
    RegionKind.COUNTRY.value: comparison.Scope.COUNTRY,
}


def build_panel(series: Sequence[str]) -> tuple[comparison.Panel, dict[str, dt.datetime]]:
    """Every current municipality's figures for these catalogue series, with SSB's own aggregates."""
    known = {i.series: i for i in catalogue.ssb_indicators()}
    specs = [comparison.IndicatorSpec(s, known[s].polarity, known[s].aggregation, known[s].decimals) for s in series]
    municipalities = list(
        Municipality.objects.current()
        .order_by("number")
        .values_list("number", "kostra_group__code", "county__number", "population")
    )
    observations = list(
        Observation.objects.filter(series__in=series, year__isnull=False)
        .exclude(municipality="", region_kind=RegionKind.MUNICIPALITY)
        .values_list("series", "region_kind", "region", "municipality", "stitch", "year", "value", "updated")
    )
    years = sorted({o[5] for o in observations if o[5] is not None})
    s_at = {s: i for i, s in enumerate(series)}
    y_at = {y: i for i, y in enumerate(years)}
    m_at = {m[0]: i for i, m in enumerate(municipalities)}
    values = np.full((len(series), len(years), len(municipalities)), np.nan)
    official: dict[tuple[comparison.Scope, str], np.ndarray] = {}
    newest: dict[str, dt.datetime] = {}
    # A figure published under the current code wins over one carried over from an old code.
    for name, kind, region, number, _stitch, year, value, updated in sorted(
        observations, key=lambda o: o[4] == Stitch.SAME
    ):
        if updated and (name not in newest or updated > newest[name]):
            newest[name] = updated
        if value is None or year is None:
            continue
        if kind == RegionKind.MUNICIPALITY:
            if number in m_at:
                values[s_at[name], y_at[year], m_at[number]] = value
        elif kind in _SCOPE_OF_KIND:
            scope = _SCOPE_OF_KIND[kind]
            code = classify(region).key
            grid = official.setdefault((scope, code), np.full((len(series), len(years)), np.nan))
            grid[s_at[name], y_at[year]] = value
    panel = comparison.Panel(
        indicators=specs,
        years=years,
        municipalities=[m[0] for m in municipalities],
        values=values,
        kostra_group=[m[1] for m in municipalities],
        county=[m[2] for m in municipalities],
        population=np.array([np.nan if m[3] is None else m[3] for m in municipalities], dtype=np.float64),
        official=official,
    )
    return panel, newest


def _refresh_aggregates(*, series: set[str], now: dt.datetime) -> dict[str, int]:
    """Recompute the KOSTRA group, county and country figures of the catalogue series touched by an import."""
    wanted = sorted(series & {i.series for i in catalogue.ssb_indicators()})
    counts = {"created": 0, "changed": 0, "deleted": 0}
    if not wanted:
        return counts
    panel, newest = build_panel(wanted)
    result = comparison.compute(panel)
    fresh: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for scope, scoped in result.scopes.items():
        for i, name in enumerate(wanted):
            for y, year in enumerate(panel.years):
                for s, code in enumerate(scoped.codes):
                    method = comparison.METHOD_CODES[int(scoped.method[i, y, s])]
                    if method is comparison.Method.NO_DATA:
                        continue
                    agg = result.aggregate(scope, code, i, y)
                    fresh[(name, scope.value, code, year)] = {
                        "value": agg.value,
                        "method": method.value,
                        "members": agg.members,
                        "with_value": agg.with_value,
                        "q1": agg.q1,
                        "median": agg.median,
                        "q3": agg.q3,
                        "updated": newest.get(name),
                    }
    existing = {
        (a.series, a.scope, a.code, a.year): a for a in Aggregate.objects.select_for_update().filter(series__in=wanted)
    }
    to_create: list[Aggregate] = []
    to_update: list[Aggregate] = []
    for key, row in fresh.items():
        current = existing.pop(key, None)
        if current is None:
            to_create.append(Aggregate(series=key[0], scope=key[1], code=key[2], year=key[3], computed_at=now, **row))
        elif any(getattr(current, f) != row[f] for f in _AGGREGATE_FIELDS):
            for f in _AGGREGATE_FIELDS:
                setattr(current, f, row[f])
            current.computed_at = now
            to_update.append(current)
    if existing:
        # Figures for a group or county that no longer has members with data (the register changed).
        Aggregate.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
    Aggregate.objects.bulk_create(to_create, batch_size=BATCH)
    Aggregate.objects.bulk_update(to_update, [*_AGGREGATE_FIELDS, "computed_at"], batch_size=BATCH)
    return {"created": len(to_create), "changed": len(to_update), "deleted": len(existing)}


def statistics_refresh_aggregates(*, actor: Actor = SYSTEM) -> dict[str, int]:
    """Recompute every aggregate, e.g. after the register's KOSTRA groups or counties changed."""
    with transaction.atomic():
        counts = _refresh_aggregates(series={i.series for i in catalogue.ssb_indicators()}, now=timezone.now())
        latest = Aggregate.objects.order_by("-computed_at", "pk").first()
        if latest is not None and any(counts.values()):
            audit.record(actor=actor, obj=latest, action=AuditAction.STATISTICS_REFRESH_AGGREGATES, after=counts)
    return counts
