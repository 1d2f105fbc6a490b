"""Indicators the catalogue computes from source values (per inhabitant, shares of a population).

For each current municipality and year: the numerator's terms summed, divided by the denominator's
terms summed (read ``denominator_lag`` years later: KOSTRA divides by the population on 31 December,
which SSB's population table gives as 1 January of the next year), times the scale. Each term takes
the first of its sources with a figure. The result is stored under the table ``calc`` with the source
values it was computed from, so a page can say exactly how a figure came about; the denominator is kept
as the figure's weight, so a group's figure is the ratio of the members' sums. Where the same term
sources have rows for the country, a county or a KOSTRA group, the same formula gives their figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, storage
from kommunedialog.statistics.catalogue import CALC_TABLE, Aggregation, Indicator, Term
from kommunedialog.statistics.models import Observation, RegionKind, Revision, StatisticsTable, Stitch
from kommunedialog.statistics.regions import classify

BATCH = 2000
# A figure published under today's code wins over one carried over or combined from old codes.
STITCH_ORDER = {
    Stitch.SAME.value: 0,
    Stitch.RENUMBERED.value: 1,
    Stitch.NOT_MUNICIPALITY.value: 1,
    Stitch.COMBINED.value: 2,
    Stitch.APPORTIONED.value: 3,
}
_FIELDS = ("value", "year", "period", "stitch", "revision", "updated", "inputs", "weight", "unit", "decimals")


@dataclass(frozen=True)
class Figure:
    series: str
    region: str
    period: str
    value: float
    stitch: str
    revision: str
    updated: dt.datetime | None
    fetched_at: dt.datetime

    def described(self) -> dict[str, Any]:
        return {"series": self.series, "region": self.region, "period": self.period, "value": self.value}


# (region kind, key) -> year -> figure; the key is a current municipality number, "EAK", "EKG07", "11"
Grid = dict[tuple[str, str], dict[int, Figure]]


def read(series: Iterable[str]) -> dict[str, Grid]:
    """Every stored figure of these series by region and year (the preferred one where several exist)."""
    wanted = list(dict.fromkeys(series))
    found: dict[str, Grid] = {s: defaultdict(dict) for s in wanted}
    rows = (
        Observation.objects.filter(series__in=wanted, year__isnull=False, value__isnull=False)
        .exclude(region_kind=RegionKind.MUNICIPALITY, municipality="")
        .values_list(
            "series",
            "region",
            "region_kind",
            "municipality",
            "period",
            "year",
            "value",
            "stitch",
            "revision",
            "updated",
            "fetched_at",
        )
    )
    for name, region, kind, number, period, year, value, stitch, revision, updated, fetched in rows:
        if year is None or value is None:
            continue
        key = (kind, number) if kind == RegionKind.MUNICIPALITY else (kind, classify(region).key)
        figure = Figure(name, region, period, value, stitch, revision, updated, fetched)
        held = found[name][key].get(year)
        if held is None or STITCH_ORDER.get(stitch, 9) < STITCH_ORDER.get(held.stitch, 9):
            found[name][key][year] = figure
    return found


def _term_value(term: Term, grids: dict[str, Grid], region: tuple[str, str], year: int) -> Figure | None:
    for source in catalogue.term_sources(term):
        figure = grids[source.series].get(region, {}).get(year)
        if figure is not None:
            return figure
    return None


def _country_total(term: Term, grids: dict[str, Grid], year: int, municipalities: frozenset[str]) -> Figure | None:
    """A total (the population, say) for the whole country where its sources have no national row: the
    sum of every current municipality's figure, and only when every one has a figure. Without it a per
    inhabitant figure had no national value although both its parts were known."""
    if not term.indicator or not municipalities:
        return None
    if catalogue.by_key()[term.indicator].aggregation is not Aggregation.SUM:
        return None
    for source in catalogue.term_sources(term):
        grid = grids[source.series]
        found = [grid.get((RegionKind.MUNICIPALITY.value, number), {}).get(year) for number in sorted(municipalities)]
        figures = [f for f in found if f is not None]
        if len(figures) == len(municipalities):
            return Figure(
                source.series,
                "EAK",
                figures[0].period,
                sum(f.value for f in figures),
                Stitch.SAME.value,
                Revision.PRELIMINARY.value
                if any(f.revision == Revision.PRELIMINARY for f in figures)
                else Revision.FINAL.value,
                max((f.updated for f in figures if f.updated), default=None),
                max(f.fetched_at for f in figures),
            )
    return None


def _sum(
    terms: tuple[Term, ...],
    grids: dict[str, Grid],
    region: tuple[str, str],
    year: int,
    municipalities: frozenset[str] = frozenset(),
) -> list[Figure] | None:
    figures = []
    for term in terms:
        figure = _term_value(term, grids, region, year)
        if figure is None and region[0] == RegionKind.COUNTRY.value:
            figure = _country_total(term, grids, year, municipalities)
        if figure is None:
            return None
        figures.append(figure)
    return figures


def compute(
    indicator: Indicator, grids: dict[str, Grid], municipalities: frozenset[str] = frozenset()
) -> dict[tuple[tuple[str, str], int], dict[str, Any]]:
    """The indicator's figures for every region and year its inputs allow."""
    regions: set[tuple[str, str]] = set()
    for term in indicator.numerator:
        for source in catalogue.term_sources(term):
            regions.update(grids[source.series])
    out: dict[tuple[tuple[str, str], int], dict[str, Any]] = {}
    for region in sorted(regions):
        years: set[int] = set()
        for term in indicator.numerator:
            for source in catalogue.term_sources(term):
                years.update(grids[source.series].get(region, {}))
        for year in sorted(years):
            top = _sum(indicator.numerator, grids, region, year)
            bottom = _sum(indicator.denominator, grids, region, year + indicator.denominator_lag, municipalities)
            if top is None or bottom is None:
                continue
            denominator = sum(f.value for f in bottom)
            if denominator <= 0:
                continue
            numerator = sum(f.value for f in top)
            inputs = [*top, *bottom]
            worst = max(inputs, key=lambda f: STITCH_ORDER.get(f.stitch, 9)).stitch
            out[(region, year)] = {
                "value": numerator / denominator * indicator.scale,
                "year": year,
                "period": top[0].period,
                "stitch": Stitch.SAME.value if worst == Stitch.NOT_MUNICIPALITY.value else worst,
                "revision": Revision.PRELIMINARY.value
                if any(f.revision == Revision.PRELIMINARY for f in inputs)
                else Revision.FINAL.value,
                "updated": max((f.updated for f in inputs if f.updated), default=None),
                "fetched_at": max(f.fetched_at for f in inputs),
                "inputs": {
                    "numerator": [f.described() for f in top],
                    "denominator": [f.described() for f in bottom],
                    "scale": indicator.scale,
                },
                "weight": denominator,
                "unit": indicator.unit[:60],
                "decimals": indicator.decimals,
            }
    return out


def _inputs(indicator: Indicator) -> set[str]:
    return {s.series for term in (*indicator.numerator, *indicator.denominator) for s in catalogue.term_sources(term)}


def refresh(*, series: set[str], now: dt.datetime) -> dict[str, int]:
    """Recompute the computed indicators that read any of ``series``; returns what was written."""
    wanted = [i for i in catalogue.with_figures() if i.is_computed and (_inputs(i) & series or i.calc_series in series)]
    counts = {"created": 0, "changed": 0, "deleted": 0}
    if not wanted:
        return counts
    grids = read({s for i in wanted for s in _inputs(i)})
    municipalities = frozenset(Municipality.objects.current().values_list("number", flat=True))
    table, _ = StatisticsTable.objects.get_or_create(
        table_id=CALC_TABLE,
        defaults={
            "label": "Beregnet av Kommunedialog fra kildetall",
            "source": "Kommunedialog",
            "fetched_at": now,
            "origin": "kommunedialog.statistics.derive",
        },
    )
    for indicator in wanted:
        fresh = compute(indicator, grids, municipalities)
        existing = {
            ((o.region_kind, o.municipality or classify(o.region).key), o.year): o
            for o in Observation.objects.select_for_update().filter(series=indicator.calc_series)
        }
        to_create: list[dict[str, Any]] = []
        to_update: list[Observation] = []
        for (region, year), row in fresh.items():
            current = existing.pop((region, year), None)
            kind, key = region
            if current is None:
                to_create.append(
                    {
                        "table_id": table.pk,
                        "series": indicator.calc_series,
                        "content_code": indicator.key,
                        "filters": "",
                        "region": f"EKA{key}" if kind == RegionKind.COUNTY else key,
                        "region_label": "",
                        "region_kind": kind,
                        "municipality": key if kind == RegionKind.MUNICIPALITY else "",
                        "stitch_targets": "",
                        "status": "",
                        **row,
                    }
                )
            elif any(getattr(current, f) != row[f] for f in _FIELDS) or current.fetched_at != row["fetched_at"]:
                for f in (*_FIELDS, "fetched_at"):
                    setattr(current, f, row[f])
                to_update.append(current)
        storage.insert(to_create)
        Observation.objects.bulk_update(to_update, [*_FIELDS, "fetched_at"], batch_size=BATCH)
        Observation.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
        counts["created"] += len(to_create)
        counts["changed"] += len(to_update)
        counts["deleted"] += len(existing)
    if any(counts.values()):
        table.fetched_at = now
        table.save(update_fields=["fetched_at"])
    return counts
