"""The figures behind the open data downloads, one row per figure with its provenance.

An indicator's download holds every current municipality's figure for every year (the same figure the
municipality page and ``/municipalities/{number}/indicators`` show: the first source with a figure,
published under today's code before one carried over or combined) and every KOSTRA group's, county's
and the country's figure. A municipality's download holds its figures for every indicator with its own
KOSTRA group, county and country beside them. ``download_formats`` writes the rows as CSV, XLSX and
JSON-stat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Max

from kommunedialog.registry.models import County, KostraGroup, Municipality
from kommunedialog.statistics import catalogue, queries
from kommunedialog.statistics.catalogue import Evidence, Indicator
from kommunedialog.statistics.derive import STITCH_ORDER
from kommunedialog.statistics.models import Aggregate, Observation

MUNICIPALITY = "municipality"
SCOPES = (Aggregate.Scope.KOSTRA_GROUP.value, Aggregate.Scope.COUNTY.value, Aggregate.Scope.COUNTRY.value)
COUNTRY_NAME = "Norge"
ITERATOR_CHUNK = 2000


@dataclass(frozen=True)
class DataRow:
    """One figure: a municipality's (with where it came from) or a group's (with how it came about)."""

    indicator: str
    indicator_name: str
    unit: str
    decimals: int
    region_kind: str  # municipality, kostra_group, county, country
    region: str  # 1133, EKG17, 11, EAK
    region_name: str
    year: int
    value: float | None
    status: str  # SSB's symbol for a missing value (".", "..", ":"), else empty
    revision: str  # preliminary or final (municipality figures)
    method: str  # how a group's figure came about (aggregates)
    table: str
    content_code: str
    source_region: str  # the code the source published the figure under
    code_history: str
    updated: dt.datetime | None  # when the source last updated the figure
    fetched_at: dt.datetime | None  # when Kommunedialog fetched (figures) or computed (aggregates) it
    publisher: str


COLUMNS = tuple(f.name for f in fields(DataRow))


def downloadable(key: str) -> Indicator | None:
    """The catalogue's indicator with this key, if it has stored figures to download."""
    indicator = catalogue.by_key().get(key)
    if indicator is None or indicator.evidence is Evidence.OTHER:
        return None
    return indicator


def _split_series(series: str) -> tuple[str, str]:
    table, _, rest = series.partition("/")
    return table, rest.partition("/")[0]


def _scope_names(scope_codes: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    wanted = list(scope_codes)
    groups = {c for s, c in wanted if s == Aggregate.Scope.KOSTRA_GROUP}
    counties = {c for s, c in wanted if s == Aggregate.Scope.COUNTY}
    names: dict[tuple[str, str], str] = {}
    for code, name in KostraGroup.objects.filter(code__in=groups).values_list("code", "name"):
        names[(Aggregate.Scope.KOSTRA_GROUP.value, code)] = name
    for number, name in County.objects.filter(number__in=counties).values_list("number", "name"):
        names[(Aggregate.Scope.COUNTY.value, number)] = name
    return names


def _aggregate_row(indicator: Indicator, a: Aggregate | queries.AggregateFigure, name: str) -> DataRow:
    table, content = _split_series(a.series)
    return DataRow(
        indicator=indicator.key,
        indicator_name=indicator.name.get("nb", ""),
        unit=indicator.unit,
        decimals=indicator.decimals,
        region_kind=a.scope,
        region=a.code,
        region_name=COUNTRY_NAME if a.scope == Aggregate.Scope.COUNTRY else name or a.code,
        year=a.year,
        value=a.value,
        status="",
        revision="",
        method=a.method,
        table=table,
        content_code=content,
        source_region=a.code if a.method == Aggregate.Method.SSB else "",
        code_history="",
        updated=a.updated,
        fetched_at=a.computed_at,
        publisher=indicator.publisher,
    )


def _figure_row(indicator: Indicator, number: str, name: str, f: queries.Figure) -> DataRow:
    return DataRow(
        indicator=indicator.key,
        indicator_name=indicator.name.get("nb", ""),
        unit=indicator.unit,
        decimals=indicator.decimals,
        region_kind=MUNICIPALITY,
        region=number,
        region_name=name,
        year=f.year,
        value=f.value,
        status=f.status,
        revision=f.revision,
        method="",
        table=f.table,
        content_code=f.content_code,
        source_region=f.region,
        code_history=f.stitch,
        updated=f.updated,
        fetched_at=f.fetched_at,
        publisher=f.publisher,
    )


def _chosen_figures(indicator: Indicator, names: dict[str, str]) -> Iterator[tuple[str, queries.Figure]]:
    """Per current municipality and year the figure ``queries`` would show, read in one ordered pass."""
    ranks = {name: rank for rank, name in enumerate(indicator.all_series)}
    rows = (
        Observation.objects.filter(series__in=list(ranks), year__isnull=False)
        .exclude(municipality="")
        .select_related("table")
        .order_by("municipality", "year")
    )
    held: tuple[int, str, queries.Figure] | None = None
    for o in rows.iterator(chunk_size=ITERATOR_CHUNK):
        if o.municipality not in names:
            continue
        figure = queries.Figure(
            year=o.year or 0,
            period=o.period,
            value=o.value,
            status=o.status,
            revision=o.revision,
            updated=o.updated,
            fetched_at=o.fetched_at,
            table=o.table.table_id,
            table_label=o.table.label,
            content_code=o.content_code,
            region=o.region,
            stitch=o.stitch,
            publisher=o.table.source,
        )
        order = ranks[o.series] * 10 + STITCH_ORDER.get(o.stitch, 9)
        if held is not None and (held[1], held[2].year) == (o.municipality, figure.year):
            if order < held[0] or (held[2].value is None and figure.value is not None):
                held = (order, o.municipality, figure)
            continue
        if held is not None:
            yield held[1], held[2]
        held = (order, o.municipality, figure)
    if held is not None:
        yield held[1], held[2]


def indicator_rows(indicator: Indicator) -> Iterator[DataRow]:
    """Every current municipality's figures, then every KOSTRA group's, county's and the country's; read
    as they are written, so a large download never sits whole in memory."""
    names = dict(Municipality.objects.current().values_list("number", "name"))
    for number, figure in _chosen_figures(indicator, names):
        yield _figure_row(indicator, number, names[number], figure)
    aggregates = Aggregate.objects.filter(series=indicator.series, scope__in=SCOPES)
    scope_names = _scope_names(aggregates.values_list("scope", "code").distinct())
    order = {scope: i for i, scope in enumerate(SCOPES)}
    for a in sorted(aggregates, key=lambda a: (order[a.scope], a.code, a.year)):
        yield _aggregate_row(indicator, a, scope_names.get((a.scope, a.code), ""))


def municipality_rows(municipality: Municipality) -> list[DataRow]:
    """The municipality's figures for every indicator, each followed by its KOSTRA group's, county's and
    the country's: the figures of ``/municipalities/{number}/indicators``, every year."""
    stats = queries.municipality_statistics(municipality)
    names = {
        Aggregate.Scope.KOSTRA_GROUP.value: municipality.kostra_group.name if municipality.kostra_group else "",
        Aggregate.Scope.COUNTY.value: municipality.county.name if municipality.county else "",
    }
    rows: list[DataRow] = []
    for domain in stats.domains:
        for item in domain.indicators:
            rows.extend(_figure_row(item.indicator, municipality.number, municipality.name, f) for f in item.figures)
            for scope in SCOPES:
                for _, a in sorted(item.aggregates.get(scope, {}).items()):
                    rows.append(_aggregate_row(item.indicator, a, names.get(scope, "")))
    return rows


def indicator_modified(indicator: Indicator) -> dt.datetime | None:
    """When the indicator's figures last changed here: fetched or aggregated."""
    fetched = Observation.objects.filter(series__in=list(indicator.all_series)).aggregate(m=Max("fetched_at"))["m"]
    computed = Aggregate.objects.filter(series=indicator.series).aggregate(m=Max("computed_at"))["m"]
    return max((t for t in (fetched, computed) if t is not None), default=None)


def as_dict(row: DataRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in COLUMNS}
