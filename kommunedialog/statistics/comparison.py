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
    RATIO = "ratio"  # computed: members' numerators summed over their denominators summed
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
    Method.RATIO,
)
_CODE = {m: i for i, m in enumerate(METHOD_CODES)}
_AGG = {Aggregation.WEIGHTED_MEAN: 0, Aggregation.SUM: 1, Aggregation.NONE: 2, Aggregation.RATIO: 3}


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
    # Per figure weights (indicators × years × municipalities) where they are not the population: the
    # denominators of computed ratios. None: every indicator is weighted by population.
    weights: FloatArray | None = None


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


@dataclass(frozen=True)
class _Layout:
    """How one scope kind's members sit among the municipalities: a 0/1 membership matrix for sums
    (a matrix product adds up every scope at once), and a column order that puts each scope's members
    side by side, so each scope's block can be sorted in place without padding."""

    membership: FloatArray  # municipalities × scopes
    order: IntArray  # municipalities in scope order (those in no scope left out)
    starts: IntArray  # where each scope's block begins in ``order``
    members: IntArray  # per scope


def _layout(index: IntArray, n_scopes: int) -> _Layout:
    members = np.bincount(index[index >= 0], minlength=n_scopes).astype(np.int64)
    membership = np.zeros((len(index), n_scopes))
    inside = np.flatnonzero(index >= 0)
    membership[inside, index[inside]] = 1.0
    order = inside[np.argsort(index[inside], kind="stable")]
    starts = np.concatenate(([0], np.cumsum(members)[:-1])).astype(np.int64)
    return _Layout(membership, order, starts, members)


def _quantiles(blocks: FloatArray, starts: IntArray, count: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Lower quartile, median and upper quartile by linear interpolation between order statistics (as
    numpy's and R's default, type 7). ``blocks`` is rows × members with each scope's figures sorted at
    the start of its block; ``count`` (rows × scopes) says how many figures each block holds."""
    # All three shares at once, read with two flat gathers rather than six fancy ones.
    shares = np.array([0.25, 0.5, 0.75])[:, None, None]
    position = (count - 1) * shares
    low = np.floor(position)
    fraction = position - low
    base = (np.arange(blocks.shape[0]) * blocks.shape[1])[:, None] + starts
    at = np.maximum(low, 0).astype(np.int64) + base
    flat = blocks.ravel()
    low_v = flat[at]
    at += fraction > 0
    high_v = flat[at]
    found = np.where(count > 0, low_v + (high_v - low_v) * fraction, np.nan)
    return found[0], found[1], found[2]


def _all_scopes(
    panel: Panel,
    kinds: list[tuple[Scope, tuple[str, ...], IntArray]],
    prepared: tuple[FloatArray, FloatArray],
    aggregations: npt.NDArray[np.int8],
) -> dict[Scope, ScopeResult]:
    """Every scope of every kind in one pass: the kinds' scopes side by side as columns, so the sums are
    four matrix products and the spreads one gather and one in-place sort per scope."""
    flat, operands = prepared
    layouts = [_layout(index, len(codes)) for _, codes, index in kinds]
    membership = np.hstack([layout.membership for layout in layouts])
    members = np.concatenate([layout.members for layout in layouts])
    order = np.concatenate([layout.order for layout in layouts])
    offsets = np.cumsum([0, *(len(layout.order) for layout in layouts)])[:-1]
    starts = np.concatenate([layout.starts + offset for layout, offset in zip(layouts, offsets, strict=True)])
    shape = (*panel.values.shape[:2], len(members))
    rows, columns = operands.shape[1], operands.shape[2]
    sums = (operands.reshape(4 * rows, columns) @ membership).reshape(4, rows, membership.shape[1])
    with_value, total, weight_sum = sums[0].round().astype(np.int64), sums[1], sums[3]
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = sums[2] / weight_sum
    blocks = flat.take(order, axis=1)  # C order: each row's blocks contiguous for the sorts
    for start, size in zip(starts.tolist(), members.tolist(), strict=True):
        if size > 1:
            blocks[:, start : start + size].sort(axis=-1)  # NaN (no figure) sorts last
    last = max(len(order) - 1, 0)
    q1, median, q3 = (
        (q.reshape(shape) for q in _quantiles(blocks, np.minimum(starts, last)[None, :], with_value))
        if len(order)
        else (np.full(shape, np.nan),) * 3
    )
    with_value, total = with_value.reshape(shape), total.reshape(shape)
    weight_sum, weighted = weight_sum.reshape(shape), weighted.reshape(shape)
    coverage = with_value / np.maximum(members, 1)
    is_mean = np.isin(aggregations, (_AGG[Aggregation.WEIGHTED_MEAN], _AGG[Aggregation.RATIO]))[:, None, None]
    is_ratio = (aggregations == _AGG[Aggregation.RATIO])[:, None, None]
    is_sum = (aggregations == _AGG[Aggregation.SUM])[:, None, None]
    mean_ok = is_mean & (coverage >= MEAN_COVERAGE) & (weight_sum > 0)
    sum_ok = is_sum & (with_value == members) & (members > 0)
    value = np.where(mean_ok, weighted, np.where(sum_ok, total, np.nan))
    method = np.full(value.shape, _CODE[Method.NO_DATA], dtype=np.int8)
    method[(with_value > 0) & ~(mean_ok | sum_ok)] = _CODE[Method.INSUFFICIENT]
    method[mean_ok & ~is_ratio] = _CODE[Method.WEIGHTED_MEAN]
    method[mean_ok & is_ratio] = _CODE[Method.RATIO]
    method[sum_ok] = _CODE[Method.SUM]
    meaningless = np.broadcast_to(~(is_mean | is_sum), value.shape)
    method[meaningless] = _CODE[Method.NOT_MEANINGFUL]
    value[meaningless] = np.nan
    results: dict[Scope, ScopeResult] = {}
    first = 0
    for (scope, codes, _), layout in zip(kinds, layouts, strict=True):
        cut = slice(first, first + len(codes))
        first += len(codes)
        for s, code in enumerate(codes, start=cut.start):
            official = panel.official.get((scope, code))
            if official is not None:
                known = ~np.isnan(official)
                value[:, :, s] = np.where(known, official, value[:, :, s])
                method[:, :, s] = np.where(known, _CODE[Method.SSB], method[:, :, s])
        results[scope] = ScopeResult(
            codes,
            layout.members,
            value[:, :, cut],
            method[:, :, cut],
            with_value[:, :, cut],
            q1[:, :, cut],
            median[:, :, cut],
            q3[:, :, cut],
        )
    return results


def _index(labels: Sequence[str | None]) -> tuple[tuple[str, ...], IntArray]:
    codes = tuple(sorted({x for x in labels if x}))
    lookup = {c: i for i, c in enumerate(codes)}
    return codes, np.array([lookup.get(x, -1) if x else -1 for x in labels], dtype=np.int64)


def _direction(panel: Panel) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    values = panel.values
    years = list(panel.years)
    at = {year: y for y, year in enumerate(years)}
    now = [y for y, year in enumerate(years) if year - TRAVEL_SPAN in at]
    past = [at[years[y] - TRAVEL_SPAN] for y in now]
    change = np.full(values.shape, np.nan)
    direction = np.full(values.shape, -2, dtype=np.int8)
    if not now:
        return change, direction
    # Consecutive years (the usual case) are read as views; few temporaries, each reused in place: on a
    # busy machine every fresh array costs page faults.
    consecutive = now == list(range(now[0], now[0] + len(now))) and past == list(range(past[0], past[0] + len(past)))
    end_at: slice | list[int] = slice(now[0], now[-1] + 1) if consecutive else now
    start = values[:, slice(past[0], past[-1] + 1) if consecutive else past, :]
    delta = np.subtract(values[:, end_at, :], start)
    change[:, end_at, :] = delta
    tolerance = np.abs(start)
    tolerance *= FLAT_SHARE
    decimals = np.array([i.decimals for i in panel.indicators], dtype=np.float64)[:, None, None]
    np.fmax(tolerance, 0.5 * 10.0**-decimals, out=tolerance)  # fmax: an unknown start keeps the floor
    unknown = np.isnan(delta)
    np.copyto(delta, 0.0, where=unknown)  # NaN-free operands: comparisons take a slow path through NaN
    moved = (delta > tolerance).view(np.int8)
    moved -= (delta < np.negative(tolerance, out=tolerance)).view(np.int8)
    moved[unknown] = -2
    direction[:, end_at, :] = moved
    return change, direction


def compute(panel: Panel) -> Result:
    """Every aggregate, spread and direction of travel for the panel, in one vectorised pass."""
    aggregations = np.array([_AGG[i.aggregation] for i in panel.indicators], dtype=np.int8)
    groups, group_index = _index(panel.kostra_group)
    counties, county_index = _index(panel.county)
    country_index = np.zeros(len(panel.municipalities), dtype=np.int64)
    n_ind, n_years, n_mun = panel.values.shape
    flat = panel.values.reshape(n_ind * n_years, n_mun)
    present = ~np.isnan(flat)
    # The four operands of the sums side by side in one buffer, so they are one matrix product.
    operands = np.empty((4, *flat.shape))
    np.copyto(operands[0], present)
    np.copyto(operands[1], flat)
    np.copyto(operands[1], 0.0, where=~present)
    if panel.weights is None:
        population = np.where(np.isnan(panel.population), 0.0, panel.population)
        np.multiply(present, population, out=operands[3])
    else:
        weights = panel.weights.reshape(flat.shape)
        np.copyto(operands[3], weights)
        np.copyto(operands[3], 0.0, where=np.isnan(weights) | ~present)
    np.multiply(operands[1], operands[3], out=operands[2])
    prepared = (flat, operands)
    kinds = [
        (Scope.KOSTRA_GROUP, groups, group_index),
        (Scope.COUNTY, counties, county_index),
        (Scope.COUNTRY, ("EAK",), country_index),
    ]
    scopes = _all_scopes(panel, kinds, prepared, aggregations)
    change, direction = _direction(panel)
    return Result(panel, scopes, change, direction)


def judge(direction: Direction, polarity: Polarity) -> Judgement:
    if direction is Direction.UNKNOWN:
        return Judgement.UNKNOWN
    if direction is Direction.FLAT:
        return Judgement.STABLE
    if not polarity.judged:
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
