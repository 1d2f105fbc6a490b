"""The KOSTRA group, county and country figures of the catalogue's indicators, kept in ``Aggregate``.

A scope's figure is the source's own (SSB's ``EAK``, ``EKA11``, ``EKG07``; Udir's national row; FHI's
"Hele landet") wherever a source of the indicator has one, and otherwise computed from the members by
``comparison`` — with the method recorded either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, comparison
from kommunedialog.statistics.catalogue import Aggregation, Indicator
from kommunedialog.statistics.derive import STITCH_ORDER
from kommunedialog.statistics.models import Aggregate, Observation, RegionKind
from kommunedialog.statistics.regions import classify

BATCH = 2000
_FIELDS = ("value", "method", "members", "with_value", "q1", "median", "q3", "updated")
_SCOPE_OF_KIND = {
    RegionKind.KOSTRA_GROUP.value: comparison.Scope.KOSTRA_GROUP,
    RegionKind.COUNTY.value: comparison.Scope.COUNTY,
    RegionKind.COUNTRY.value: comparison.Scope.COUNTRY,
}


def build_panel(indicators: Sequence[Indicator]) -> tuple[comparison.Panel, dict[str, dt.datetime]]:
    """Every current municipality's figures for these indicators (the first source with a figure wins),
    with the sources' own aggregates and, for computed ratios, each figure's denominator as its weight."""
    specs = [comparison.IndicatorSpec(i.key, i.polarity, i.aggregation, i.decimals) for i in indicators]
    municipalities = list(
        Municipality.objects.current()
        .order_by("number")
        .values_list("number", "kostra_group__code", "county__number", "population")
    )
    priority: dict[str, list[tuple[int, int]]] = {}  # series -> [(indicator index, source rank)]
    for i, indicator in enumerate(indicators):
        for rank, name in enumerate(indicator.all_series):
            priority.setdefault(name, []).append((i, rank))
    observations = list(
        Observation.objects.filter(series__in=list(priority), year__isnull=False, value__isnull=False)
        .exclude(municipality="", region_kind=RegionKind.MUNICIPALITY)
        .values_list("series", "region_kind", "region", "municipality", "stitch", "year", "value", "updated", "weight")
    )
    years: list[int] = sorted({o[5] for o in observations if o[5] is not None})
    y_at = {y: n for n, y in enumerate(years)}
    m_at = {m[0]: n for n, m in enumerate(municipalities)}
    shape = (len(indicators), len(years), len(municipalities))
    values = np.full(shape, np.nan)
    rank_held = np.full(shape, 1_000, dtype=np.int32)
    ratio = [i.aggregation is Aggregation.RATIO for i in indicators]
    population = np.array([np.nan if m[3] is None else m[3] for m in municipalities], dtype=np.float64)
    weights = np.broadcast_to(population, shape).copy() if any(ratio) else None
    official: dict[tuple[comparison.Scope, str], np.ndarray] = {}
    official_rank: dict[tuple[comparison.Scope, str, int, int], int] = {}
    newest: dict[str, dt.datetime] = {}
    for name, kind, region, number, stitch, year, value, updated, weight in observations:
        if year is None:
            continue
        for i, rank in priority[name]:
            key = indicators[i].key
            if updated and (key not in newest or updated > newest[key]):
                newest[key] = updated
            order = rank * 10 + STITCH_ORDER.get(stitch, 9)
            if kind == RegionKind.MUNICIPALITY:
                m = m_at.get(number)
                if m is None or order >= rank_held[i, y_at[year], m]:
                    continue
                rank_held[i, y_at[year], m] = order
                values[i, y_at[year], m] = value
                if weights is not None and ratio[i]:
                    weights[i, y_at[year], m] = np.nan if weight is None else weight
            elif kind in _SCOPE_OF_KIND:
                scope = _SCOPE_OF_KIND[kind]
                code = classify(region).key
                held = official_rank.get((scope, code, i, year))
                if held is not None and held <= order:
                    continue
                official_rank[(scope, code, i, year)] = order
                grid = official.setdefault((scope, code), np.full((len(indicators), len(years)), np.nan))
                grid[i, y_at[year]] = value
    panel = comparison.Panel(
        indicators=specs,
        years=years,
        municipalities=[m[0] for m in municipalities],
        values=values,
        kostra_group=[m[1] for m in municipalities],
        county=[m[2] for m in municipalities],
        population=population,
        official=official,
        weights=weights,
    )
    return panel, newest


def _affected(series: set[str]) -> list[Indicator]:
    found = []
    for indicator in catalogue.with_figures():
        if set(indicator.all_series) & series or any(
            s.series in series
            for term in (*indicator.numerator, *indicator.denominator)
            for s in catalogue.term_sources(term)
        ):
            found.append(indicator)
    return found


def refresh(*, series: set[str], now: dt.datetime) -> dict[str, int]:
    """Recompute the group, county and country figures of the indicators that read any of ``series``."""
    wanted = _affected(series)
    counts = {"created": 0, "changed": 0, "deleted": 0}
    if not wanted:
        return counts
    panel, newest = build_panel(wanted)
    result = comparison.compute(panel)
    fresh: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for scope, scoped in result.scopes.items():
        for i, indicator in enumerate(wanted):
            for y, year in enumerate(panel.years):
                for s, code in enumerate(scoped.codes):
                    method = comparison.METHOD_CODES[int(scoped.method[i, y, s])]
                    if method is comparison.Method.NO_DATA:
                        continue
                    agg = result.aggregate(scope, code, i, y)
                    fresh[(indicator.series, scope.value, code, year)] = {
                        "value": agg.value,
                        "method": method.value,
                        "members": agg.members,
                        "with_value": agg.with_value,
                        "q1": agg.q1,
                        "median": agg.median,
                        "q3": agg.q3,
                        "updated": newest.get(indicator.key),
                    }
    existing = {
        (a.series, a.scope, a.code, a.year): a
        for a in Aggregate.objects.select_for_update().filter(series__in=[i.series for i in wanted])
    }
    to_create: list[Aggregate] = []
    to_update: list[Aggregate] = []
    for key, row in fresh.items():
        current = existing.pop(key, None)
        if current is None:
            to_create.append(Aggregate(series=key[0], scope=key[1], code=key[2], year=key[3], computed_at=now, **row))
        elif any(getattr(current, f) != row[f] for f in _FIELDS):
            for f in _FIELDS:
                setattr(current, f, row[f])
            current.computed_at = now
            to_update.append(current)
    if existing:
        # Figures for a group or county that no longer has members with data (the register changed).
        Aggregate.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
    Aggregate.objects.bulk_create(to_create, batch_size=BATCH)
    Aggregate.objects.bulk_update(to_update, [*_FIELDS, "computed_at"], batch_size=BATCH)
    counts.update(created=len(to_create), changed=len(to_update), deleted=len(existing))
    return counts


def latest() -> Aggregate | None:
    return Aggregate.objects.order_by("-computed_at", "pk").first()
