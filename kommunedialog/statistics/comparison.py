"""Comparison without ranking: a municipality's figure beside its KOSTRA group, county and country.

For every indicator, year and scope (KOSTRA group, county, country) the engine gives:

* the scope's value — SSB's own aggregate (EKG/EKA/EAK) where the table has one, else computed from
  the members (population-weighted mean for key figures, sum for amounts and counts), with the method
  recorded; a computed value needs enough members with figures, or it is left out and says why;
* the median and interquartile range of the members' figures;

and for every municipality the direction of travel over the last three years, judged by the
indicator's polarity. There is no rank, percentile or position anywhere, by design (BRIEF §2).

The engine works on whole arrays (indicators × years × municipalities) so all comparisons for the
country are one pass; see benchmarks/compare.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kommunedialog.statistics.catalogue import Aggregation, Polarity

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# A computed mean needs figures for this share of the members; a sum needs all of them, since a
# partial sum is simply wrong.
MEAN_COVERAGE = 0.8
# Direction of travel: a change smaller than this share of the starting value, or than half the
# last shown decimal, is "about the same".
FLAT_SHARE = 0.01
TRAVEL_SPAN = 2  # years between the first and last of the three


class Scope(StrEnum):
    KOSTRA_GROUP = "kostra_group"
    COUNTY = "county"
    COUNTRY = "country"


class Method(StrEnum):
    SSB = "ssb"  # SSB's own aggregate from the table
    WEIGHTED_MEAN = "weighted_mean"  # computed: mean of members weighted by population
    SUM = "sum"  # computed: sum of members
    INSUFFICIENT = "insufficient"  # too few members have figures to compute one
    NOT_MEANINGFUL = "not_meaningful"  # the indicator has no aggregate (yes/no flags)
    NO_DATA = "no_data"


METHOD_CODES = (
    Method.NO_DATA,
    Method.SSB,
    Method.WEIGHTED_MEAN,
    Method.SUM,
    Method.INSUFFICIENT,
    Method.NOT_MEANINGFUL,
)
_CODE = {m: i for i, m in enumerate(METHOD_CODES)}
_AGG = {Aggregation.WEIGHTED_MEAN: 0, Aggregation.SUM: 1, Aggregation.NONE: 2}


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    UNKNOWN = "unknown"


class Judgement(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STABLE = "stable"
    NO_JUDGEMENT = "no_judgement"  # neutral indicators: the direction is context, not better or worse
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    polarity: Polarity
    aggregation: Aggregation
    decimals: int


@dataclass(frozen=True)
class Panel:
    """The figures to compare. ``values[i, y, m]`` is indicator i, year y, municipality m (NaN: none)."""

    indicators: Sequence[IndicatorSpec]
    years: Sequence[int]
    municipalities: Sequence[str]
    values: FloatArray
    kostra_group: Sequence[str | None]  # per municipality: "EKG07"
    county: Sequence[str | None]  # per municipality: "46"
    population: FloatArray  # per municipality; NaN when unknown
    # SSB's own aggregates: (scope, code) -> (indicators × years) with NaN where SSB gave none.
    official: Mapping[tuple[Scope, str], FloatArray]


@dataclass(frozen=True)
class ScopeResult:
    codes: tuple[str, ...]
    members: IntArray  # per scope code
    value: FloatArray  # indicators × years × codes
    method: npt.NDArray[np.int8]
    with_value: IntArray
    q1: FloatArray
    median: FloatArray
    q3: FloatArray


@dataclass(frozen=True)
class Result:
    panel: Panel
    scopes: Mapping[Scope, ScopeResult]
    change: FloatArray  # indicators × years × municipalities: value(y) - value(y - 2)
    direction: npt.NDArray[np.int8]  # 1 up, -1 down, 0 flat, -2 unknown

    def aggregate(self, scope: Scope, code: str, indicator: int, year: int) -> AggregateValue:
        result = self.scopes[scope]
        s = result.codes.index(code)

        def number(a: FloatArray) -> float | None:
            v = float(a[indicator, year, s])
            return None if np.isnan(v) else v

        return AggregateValue(
            scope=scope,
            code=code,
            value=number(result.value),
            method=METHOD_CODES[int(result.method[indicator, year, s])],
            members=int(result.members[s]),
            with_value=int(result.with_value[indicator, year, s]),
            q1=number(result.q1),
            median=number(result.median),
            q3=number(result.q3),
        )


@dataclass(frozen=True)
class AggregateValue:
    scope: Scope
    code: str
    value: float | None
    method: Method
    members: int
    with_value: int
    q1: float | None
    median: float | None
    q3: float | None


@dataclass(frozen=True)
class Travel:
    from_year: int | None
    to_year: int | None
    change: float | None
    direction: Direction
    judgement: Judgement


def _padded(
    values: FloatArray, population: FloatArray, index: IntArray, n_scopes: int
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Lay members out per scope: (indicators, years, scopes, max members), padded with NaN, with their
    population weights laid out the same way (scopes, max members)."""
    members = np.bincount(index[index >= 0], minlength=n_scopes).astype(np.int64)
    width = int(members.max()) if n_scopes else 0
    who = np.flatnonzero(index >= 0)
    scope_of = index[who]
    order = np.argsort(scope_of, kind="stable")
    who, scope_of = who[order], scope_of[order]
    starts = np.concatenate(([0], np.cumsum(members)[:-1]))
    slot = np.arange(len(who)) - starts[scope_of]
    padded = np.full((*values.shape[:2], n_scopes, max(width, 1)), np.nan)
    padded[:, :, scope_of, slot] = values[:, :, who]
    weights = np.zeros((n_scopes, max(width, 1)))
    weights[scope_of, slot] = np.nan_to_num(population[who], nan=0.0)
    return padded, weights, members


def _quantiles(sorted_: FloatArray, count: IntArray, share: float) -> FloatArray:
    """Linear interpolation between order statistics (as numpy's and R's default, type 7)."""
    position = (count - 1) * share
    low = np.floor(position).astype(np.int64)
    high = np.ceil(position).astype(np.int64)
    low_v = np.take_along_axis(sorted_, np.clip(low, 0, None)[..., None], axis=-1)[..., 0]
    high_v = np.take_along_axis(sorted_, np.clip(high, 0, None)[..., None], axis=-1)[..., 0]
    out = low_v + (high_v - low_v) * (position - low)
    return np.where(count > 0, out, np.nan)


def _scope(
    panel: Panel, scope: Scope, codes: tuple[str, ...], index: IntArray, aggregations: npt.NDArray[np.int8]
) -> ScopeResult:
    padded, weights, members = _padded(panel.values, panel.population, index, len(codes))
    present = ~np.isnan(padded)
    with_value = present.sum(axis=-1)
    sorted_ = np.sort(padded, axis=-1)
    q1, median, q3 = (_quantiles(sorted_, with_value, p) for p in (0.25, 0.5, 0.75))
    filled = np.where(present, padded, 0.0)
    weight_sum = (present * weights).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = (filled * weights).sum(axis=-1) / weight_sum
    total = filled.sum(axis=-1)
    coverage = with_value / np.maximum(members, 1)
    is_mean = (aggregations == _AGG[Aggregation.WEIGHTED_MEAN])[:, None, None]
    is_sum = (aggregations == _AGG[Aggregation.SUM])[:, None, None]
    mean_ok = is_mean & (coverage >= MEAN_COVERAGE) & (weight_sum > 0)
    sum_ok = is_sum & (with_value == members) & (members > 0)
    value = np.where(mean_ok, weighted, np.where(sum_ok, total, np.nan))
    method = np.full(value.shape, _CODE[Method.NO_DATA], dtype=np.int8)
    method[(with_value > 0) & ~(mean_ok | sum_ok)] = _CODE[Method.INSUFFICIENT]
    method[mean_ok] = _CODE[Method.WEIGHTED_MEAN]
    method[sum_ok] = _CODE[Method.SUM]
    method[np.broadcast_to(~(is_mean | is_sum), value.shape)] = _CODE[Method.NOT_MEANINGFUL]
    value[np.broadcast_to(~(is_mean | is_sum), value.shape)] = np.nan
    for s, code in enumerate(codes):
        official = panel.official.get((scope, code))
        if official is not None:
            known = ~np.isnan(official)
            value[:, :, s] = np.where(known, official, value[:, :, s])
            method[:, :, s] = np.where(known, _CODE[Method.SSB], method[:, :, s])
    return ScopeResult(codes, members, value, method, with_value.astype(np.int64), q1, median, q3)


def _index(labels: Sequence[str | None]) -> tuple[tuple[str, ...], IntArray]:
    codes = tuple(sorted({x for x in labels if x}))
    lookup = {c: i for i, c in enumerate(codes)}
    return codes, np.array([lookup.get(x, -1) if x else -1 for x in labels], dtype=np.int64)


def _direction(panel: Panel) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    values = panel.values
    start = np.full(values.shape, np.nan)
    years = list(panel.years)
    for y, year in enumerate(years):
        if year - TRAVEL_SPAN in years:
            start[:, y, :] = values[:, years.index(year - TRAVEL_SPAN), :]
    change = values - start
    decimals = np.array([i.decimals for i in panel.indicators], dtype=np.float64)[:, None, None]
    tolerance = np.maximum(0.5 * 10.0**-decimals, FLAT_SHARE * np.abs(start))
    direction = np.full(values.shape, -2, dtype=np.int8)
    known = ~np.isnan(change)
    with np.errstate(invalid="ignore"):
        direction[known & (change > tolerance)] = 1
        direction[known & (change < -tolerance)] = -1
        direction[known & (np.abs(change) <= tolerance)] = 0
    return change, direction


def compute(panel: Panel) -> Result:
    """Every aggregate, spread and direction of travel for the panel, in one vectorised pass."""
    aggregations = np.array([_AGG[i.aggregation] for i in panel.indicators], dtype=np.int8)
    groups, group_index = _index(panel.kostra_group)
    counties, county_index = _index(panel.county)
    country_index = np.zeros(len(panel.municipalities), dtype=np.int64)
    scopes = {
        Scope.KOSTRA_GROUP: _scope(panel, Scope.KOSTRA_GROUP, groups, group_index, aggregations),
        Scope.COUNTY: _scope(panel, Scope.COUNTY, counties, county_index, aggregations),
        Scope.COUNTRY: _scope(panel, Scope.COUNTRY, ("EAK",), country_index, aggregations),
    }
    change, direction = _direction(panel)
    return Result(panel, scopes, change, direction)


def judge(direction: Direction, polarity: Polarity) -> Judgement:
    if direction is Direction.UNKNOWN:
        return Judgement.UNKNOWN
    if direction is Direction.FLAT:
        return Judgement.STABLE
    if polarity is Polarity.NEUTRAL:
        return Judgement.NO_JUDGEMENT
    better = (direction is Direction.UP) == (polarity is Polarity.HIGHER_BETTER)
    return Judgement.IMPROVING if better else Judgement.WORSENING


def travel(series: Mapping[int, float | None], *, to_year: int, polarity: Polarity, decimals: int) -> Travel:
    """Direction of travel for one municipality's series over the three years ending ``to_year``."""
    from_year = to_year - TRAVEL_SPAN
    end, start = series.get(to_year), series.get(from_year)
    if end is None or start is None:
        return Travel(from_year, to_year, None, Direction.UNKNOWN, Judgement.UNKNOWN)
    change = end - start
    tolerance = max(0.5 * 10.0**-decimals, FLAT_SHARE * abs(start))
    direction = Direction.FLAT if abs(change) <= tolerance else Direction.UP if change > 0 else Direction.DOWN
    return Travel(from_year, to_year, change, direction, judge(direction, polarity))


DIRECTION_CODES = {1: Direction.UP, -1: Direction.DOWN, 0: Direction.FLAT, -2: Direction.UNKNOWN}
