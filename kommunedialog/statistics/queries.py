"""Read-only queries for the municipality page and the open data API: one municipality's indicator
figures with their comparisons and provenance, in a fixed number of queries whatever the catalogue size."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from kommunedialog.core.domains import Domain
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, charts, comparison
from kommunedialog.statistics.catalogue import CALC_TABLE, Evidence, Indicator
from kommunedialog.statistics.derive import STITCH_ORDER
from kommunedialog.statistics.models import Aggregate, Observation, Stitch

SHOWN_YEARS = 5


@dataclass(frozen=True)
class Figure:
    """One figure with everything needed to say where it comes from."""

    year: int
    period: str
    value: float | None
    status: str
    revision: str
    updated: dt.datetime | None
    fetched_at: dt.datetime
    table: str
    table_label: str
    content_code: str
    region: str
    stitch: str
    publisher: str = ""
    series: str = ""
    region_label: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def is_missing(self) -> bool:
        return self.value is None

    @property
    def is_ssb(self) -> bool:
        return self.table.isdigit()

    @property
    def is_computed(self) -> bool:
        return self.table == CALC_TABLE

    @property
    def statbank_url(self) -> str:
        return f"https://www.ssb.no/statbank/table/{self.table}" if self.is_ssb else ""


@dataclass(frozen=True)
class Unstitched:
    """An old code's figures that cannot be carried over to this municipality, and why."""

    region: str
    stitch: str
    years: tuple[int, ...]


@dataclass(slots=True)
class AggregateFigure:
    """One stored ``Aggregate`` row as read for a page: its fields, without a model instance (a page reads
    some fifteen hundred, and building model instances was most of the statistics section's time)."""

    series: str
    scope: str
    code: str
    year: int
    value: float | None
    method: str
    members: int
    with_value: int
    q1: float | None
    median: float | None
    q3: float | None
    updated: dt.datetime | None
    computed_at: dt.datetime


AGGREGATE_FIELDS = tuple(f.name for f in dataclasses.fields(AggregateFigure))


@dataclass
class IndicatorFigures:
    indicator: Indicator
    figures: list[Figure]
    aggregates: dict[str, dict[int, AggregateFigure]]  # scope -> year -> aggregate
    labels: dict[str, str] = field(default_factory=dict)  # scope -> the region's name
    unstitched: list[Unstitched] = field(default_factory=list)
    travel: comparison.Travel | None = None
    chart: charts.Chart | None = None

    @property
    def latest(self) -> Figure | None:
        return next((f for f in reversed(self.figures) if f.value is not None), None)

    @property
    def years(self) -> list[int]:
        years = {f.year for f in self.figures} | {y for by_year in self.aggregates.values() for y in by_year}
        return sorted(years)[-SHOWN_YEARS:]

    def figure(self, year: int) -> Figure | None:
        return next((f for f in self.figures if f.year == year), None)

    def aggregate(self, scope: str, year: int) -> AggregateFigure | None:
        return self.aggregates.get(scope, {}).get(year)

    @property
    def peer_cells(self) -> list[AggregateFigure | None]:
        return [self.aggregate(Aggregate.Scope.KOSTRA_GROUP.value, y) for y in self.years]

    @property
    def latest_peer(self) -> AggregateFigure | None:
        """The KOSTRA group's figure in the municipality's latest year."""
        latest = self.latest
        return self.aggregate(Aggregate.Scope.KOSTRA_GROUP.value, latest.year) if latest else None

    @property
    def latest_aggregates(self) -> list[tuple[str, AggregateFigure]]:
        """How the group, county and country figures beside the latest year came about."""
        latest = self.latest
        if latest is None:
            return []
        found = []
        for scope in (Aggregate.Scope.KOSTRA_GROUP, Aggregate.Scope.COUNTY, Aggregate.Scope.COUNTRY):
            agg = self.aggregate(scope.value, latest.year)
            if agg is not None:
                found.append((scope.value, agg))
        return found

    def rows(self) -> list[dict[str, object]]:
        """The data table under the chart: one row per region, one cell per year."""
        years = self.years
        subject = [self.figure(y) for y in years]
        rows: list[dict[str, object]] = [
            {"scope": "municipality", "label": self.labels.get("municipality", ""), "cells": subject}
        ]
        for scope in (Aggregate.Scope.KOSTRA_GROUP, Aggregate.Scope.COUNTY, Aggregate.Scope.COUNTRY):
            rows.append(
                {
                    "scope": scope.value,
                    "label": self.labels.get(scope.value, ""),
                    "cells": [self.aggregate(scope.value, y) for y in years],
                }
            )
        return rows


@dataclass
class DomainFigures:
    domain: Domain
    indicators: list[IndicatorFigures]
    without_figures: list[Indicator]
    other_sources: list[Indicator]


@dataclass
class MunicipalityStatistics:
    municipality: Municipality
    domains: list[DomainFigures]

    @property
    def has_figures(self) -> bool:
        return any(d.indicators for d in self.domains)


Unstitchable = dict[str, dict[tuple[str, str], set[int]]]


def _decoded(text: str | None) -> dict[str, Any]:
    return orjson.loads(text) if text and text != "{}" else {}


def _figures(municipality: Municipality, indicators: list[Indicator]) -> tuple[dict[str, list[Figure]], Unstitchable]:
    """Per indicator, one figure per year: from its first source with a figure that year, and within a
    source the one published under today's code before one carried over or combined from old codes."""
    readers: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for indicator in indicators:
        for rank, name in enumerate(indicator.all_series):
            readers[name].append((indicator.key, rank))
    number = municipality.number
    figures: dict[str, dict[int, tuple[int, Figure]]] = defaultdict(dict)
    unstitched: dict[str, dict[tuple[str, str], set[int]]] = defaultdict(lambda: defaultdict(set))
    fields = (
        "pk", "series", "year", "municipality", "stitch_targets", "period", "value", "status", "revision",
        "updated", "fetched_at", "table__table_id", "table__label", "table__source", "content_code", "region",
        "stitch", "region_label", "inputs_text",
    )  # fmt: skip
    # "computed from" as its stored text, decoded below with orjson and only where it is not empty:
    # JSONField's own decoding of every row was a fifth of the section's time.
    wanted = Observation.objects.filter(series__in=list(readers), year__isnull=False).annotate(
        inputs_text=Cast("inputs", TextField())
    )
    # Two lookups, not one with OR: the municipality's own figures by the (series, municipality) index,
    # and the few old-code figures that fed it by the partial index on rows with stitch targets. An OR
    # of the two scanned every stored figure (a quarter of a second with the demo's files). Plain rows,
    # not model instances: a page reads some two thousand.
    own = wanted.filter(municipality=number).values(*fields)
    fed = wanted.filter(stitch_targets__gt="").exclude(municipality=number).filter(stitch_targets__contains=number)
    rows = sorted([*own, *fed.values(*fields)], key=lambda o: (o["series"], o["year"] or 0, o["pk"]))
    for o in rows:
        for key, rank in readers[o["series"]]:
            if o["municipality"] != number:
                if number in o["stitch_targets"].split(","):
                    unstitched[key][(o["region"], o["stitch"])].add(o["year"] or 0)
                continue
            figure = Figure(
                year=o["year"] or 0,
                period=o["period"],
                value=o["value"],
                status=o["status"],
                revision=o["revision"],
                updated=o["updated"],
                fetched_at=o["fetched_at"],
                table=o["table__table_id"],
                table_label=o["table__label"],
                content_code=o["content_code"],
                region=o["region"],
                stitch=o["stitch"],
                publisher=o["table__source"],
                series=o["series"],
                region_label=o["region_label"],
                inputs=_decoded(o["inputs_text"]),
            )
            order = rank * 10 + STITCH_ORDER.get(o["stitch"], 9)
            held = figures[key].get(figure.year)
            if held is None or order < held[0] or (held[1].value is None and figure.value is not None):
                figures[key][figure.year] = (order, figure)
    ordered = {k: [f for _, (_, f) in sorted(by_year.items())] for k, by_year in figures.items()}
    # Old codes whose figures a combined or computed figure already stands for are not "missing".
    standing_in = {Stitch.COMBINED.value, Stitch.APPORTIONED.value}
    for key, found in unstitched.items():
        covered = {
            f.year for f in ordered.get(key, []) if f.value is not None and (f.stitch in standing_in or f.is_computed)
        }
        for region_stitch in list(found):
            found[region_stitch] -= covered
            if not found[region_stitch]:
                del found[region_stitch]
    return ordered, unstitched


def _aggregates(
    municipality: Municipality, indicators: list[Indicator]
) -> dict[str, dict[str, dict[int, AggregateFigure]]]:
    scopes = Q(scope=Aggregate.Scope.COUNTRY, code="EAK")
    if municipality.kostra_group_id:
        scopes |= Q(scope=Aggregate.Scope.KOSTRA_GROUP, code=municipality.kostra_group.code)  # type: ignore[union-attr]
    if municipality.county_id:
        scopes |= Q(scope=Aggregate.Scope.COUNTY, code=municipality.county.number)  # type: ignore[union-attr]
    found: dict[str, dict[str, dict[int, AggregateFigure]]] = defaultdict(lambda: defaultdict(dict))
    by_series = {i.series: i.key for i in indicators}
    rows = Aggregate.objects.filter(scopes, series__in=list(by_series)).order_by().values_list(*AGGREGATE_FIELDS)
    for row in rows:
        a = AggregateFigure(*row)
        found[by_series[a.series]][a.scope][a.year] = a
    return found


def region_labels(municipality: Municipality) -> dict[str, str]:
    return {
        "municipality": municipality.name_norwegian,
        Aggregate.Scope.KOSTRA_GROUP.value: municipality.kostra_group.name
        if municipality.kostra_group
        else _("KOSTRA group"),
        Aggregate.Scope.COUNTY.value: _("%(name)s (county)") % {"name": municipality.county.name}
        if municipality.county
        else _("County"),
        Aggregate.Scope.COUNTRY.value: _("Norway"),
    }


def _chart(item: IndicatorFigures) -> charts.Chart | None:
    latest = item.latest
    if latest is None:
        return None
    others = []
    for scope in (Aggregate.Scope.KOSTRA_GROUP.value, Aggregate.Scope.COUNTY.value, Aggregate.Scope.COUNTRY.value):
        agg = item.aggregate(scope, latest.year)
        if agg is not None:
            others.append((item.labels[scope], agg.value))
    peers = item.aggregate(Aggregate.Scope.KOSTRA_GROUP.value, latest.year)
    return charts.comparison_chart(
        (item.labels["municipality"], latest.value),
        others,
        decimals=item.indicator.decimals,
        aggregation=item.indicator.aggregation.value,
        quartiles=(peers.q1, peers.q3) if peers is not None else (None, None),
    )


def municipality_statistics(municipality: Municipality, *, domain: str | None = None) -> MunicipalityStatistics:
    """The catalogue's figures for one current municipality, grouped by domain (three queries)."""
    indicators = [i for i in catalogue.indicators() if domain is None or i.domain == domain]
    stored = [i for i in indicators if i.evidence is not Evidence.OTHER]
    figures, unstitched = _figures(municipality, stored) if stored else ({}, {})
    aggregates = _aggregates(municipality, stored) if stored else {}
    labels = region_labels(municipality)
    domains = []
    for d in Domain:
        if domain is not None and d != domain:
            continue
        shown, empty = [], []
        for indicator in (i for i in stored if i.domain == d):
            found = figures.get(indicator.key, [])
            if not any(f.value is not None for f in found):
                empty.append(indicator)
                continue
            item = IndicatorFigures(indicator, found, aggregates.get(indicator.key, {}), labels)
            item.unstitched = [
                Unstitched(region, stitch, tuple(sorted(years)))
                for (region, stitch), years in sorted(unstitched.get(indicator.key, {}).items())
            ]
            latest = item.latest
            if latest is not None:
                series = {f.year: f.value for f in found}
                item.travel = comparison.travel(
                    series, to_year=latest.year, polarity=indicator.polarity, decimals=indicator.decimals
                )
            item.chart = _chart(item)
            shown.append(item)
        others = [i for i in indicators if i.domain == d and i.evidence is Evidence.OTHER]
        domains.append(DomainFigures(d, shown, empty, others))
    return MunicipalityStatistics(municipality, domains)
