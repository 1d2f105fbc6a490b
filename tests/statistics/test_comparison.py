from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kommunedialog.statistics import comparison as c
from kommunedialog.statistics.catalogue import Aggregation, Polarity

NAN = np.nan


def panel(values, *, aggregation=Aggregation.WEIGHTED_MEAN, official=None, population=(100, 300, 600, 1000)):  # type: ignore[no-untyped-def]
    """Four municipalities: A and B in EKG01 and county 11, C and D in EKG02 and county 46."""
    values = np.array(values, dtype=float)
    return c.Panel(
        indicators=[c.IndicatorSpec("x", Polarity.HIGHER_BETTER, aggregation, 1)],
        years=list(range(2024 - values.shape[0] + 1, 2025)),
        municipalities=["A", "B", "C", "D"],
        values=values[None, :, :],
        kostra_group=["EKG01", "EKG01", "EKG02", "EKG02"],
        county=["11", "11", "46", "46"],
        population=np.array(population, dtype=float),
        official=official or {},
    )


def test_weighted_mean_and_spread_per_group_county_and_country():
    result = c.compute(panel([[10, 20, 30, 50]]))
    group = result.aggregate(c.Scope.KOSTRA_GROUP, "EKG01", 0, 0)
    assert group == c.AggregateValue(
        c.Scope.KOSTRA_GROUP, "EKG01", 17.5, c.Method.WEIGHTED_MEAN, 2, 2, 12.5, 15.0, 17.5
    )
    country = result.aggregate(c.Scope.COUNTRY, "EAK", 0, 0)
    assert country.value == pytest.approx((10 * 100 + 20 * 300 + 30 * 600 + 50 * 1000) / 2000)
    assert (country.q1, country.median, country.q3) == (17.5, 25.0, 35.0)
    assert (country.q1, country.median, country.q3) == tuple(np.quantile([10, 20, 30, 50], [0.25, 0.5, 0.75]))


def test_ssb_own_aggregate_wins_and_is_recorded_as_such():
    official = {(c.Scope.KOSTRA_GROUP, "EKG02"): np.array([[41.0]]), (c.Scope.COUNTRY, "EAK"): np.array([[NAN]])}
    result = c.compute(panel([[10, 20, 30, 50]], official=official))
    assert result.aggregate(c.Scope.KOSTRA_GROUP, "EKG02", 0, 0).value == 41.0
    assert result.aggregate(c.Scope.KOSTRA_GROUP, "EKG02", 0, 0).method is c.Method.SSB
    # The spread is always the members' own.
    assert result.aggregate(c.Scope.KOSTRA_GROUP, "EKG02", 0, 0).median == 40.0
    assert result.aggregate(c.Scope.COUNTRY, "EAK", 0, 0).method is c.Method.WEIGHTED_MEAN


def test_missing_figures_are_not_zero_and_too_few_make_no_aggregate():
    result = c.compute(panel([[10, NAN, 30, 50]]))
    group = result.aggregate(c.Scope.KOSTRA_GROUP, "EKG01", 0, 0)
    assert (group.value, group.method, group.with_value, group.median) == (None, c.Method.INSUFFICIENT, 1, 10.0)
    country = result.aggregate(c.Scope.COUNTRY, "EAK", 0, 0)
    assert (country.with_value, country.method) == (3, c.Method.INSUFFICIENT)  # 3 of 4 is under 80 %


def test_sums_need_every_member_and_flags_have_no_aggregate():
    result = c.compute(panel([[10, 20, 30, NAN]], aggregation=Aggregation.SUM))
    assert result.aggregate(c.Scope.KOSTRA_GROUP, "EKG01", 0, 0).value == 30.0
    assert result.aggregate(c.Scope.KOSTRA_GROUP, "EKG02", 0, 0).method is c.Method.INSUFFICIENT
    flags = c.compute(panel([[1, 0, 1, 1]], aggregation=Aggregation.NONE))
    agg = flags.aggregate(c.Scope.COUNTY, "46", 0, 0)
    assert (agg.value, agg.method, agg.median) == (None, c.Method.NOT_MEANINGFUL, 1.0)


def test_direction_of_travel_over_three_years_with_polarity():
    result = c.compute(panel([[10, 20, 30, 50], [11, 20, 30, NAN], [12, 19.9, 25, 60]]))
    assert [c.DIRECTION_CODES[int(d)] for d in result.direction[0, 2]] == [
        c.Direction.UP,
        c.Direction.FLAT,
        c.Direction.DOWN,
        c.Direction.UP,
    ]
    assert [c.DIRECTION_CODES[int(d)] for d in result.direction[0, 1]] == [c.Direction.UNKNOWN] * 4


@pytest.mark.parametrize(
    ("series", "polarity", "expected"),
    [
        ({2022: 1.0, 2024: 2.0}, Polarity.HIGHER_BETTER, (c.Direction.UP, c.Judgement.IMPROVING)),
        ({2022: 1.0, 2024: 2.0}, Polarity.LOWER_BETTER, (c.Direction.UP, c.Judgement.WORSENING)),
        ({2022: 2.0, 2024: 1.0}, Polarity.LOWER_BETTER, (c.Direction.DOWN, c.Judgement.IMPROVING)),
        ({2022: 1.0, 2024: 2.0}, Polarity.NEUTRAL, (c.Direction.UP, c.Judgement.NO_JUDGEMENT)),
        ({2022: 100.0, 2024: 100.5}, Polarity.HIGHER_BETTER, (c.Direction.FLAT, c.Judgement.STABLE)),
        ({2023: 1.0, 2024: 2.0}, Polarity.HIGHER_BETTER, (c.Direction.UNKNOWN, c.Judgement.UNKNOWN)),
        ({2022: None, 2024: 2.0}, Polarity.HIGHER_BETTER, (c.Direction.UNKNOWN, c.Judgement.UNKNOWN)),
    ],
)
def test_travel_for_one_series(series, polarity, expected):
    travel = c.travel(series, to_year=2024, polarity=polarity, decimals=1)
    assert (travel.direction, travel.judgement) == expected
    assert (travel.from_year, travel.to_year) == (2022, 2024)


def test_no_rank_or_position_anywhere_in_the_results():
    words = ("rank", "position", "percentile", "order", "place")
    for klass in (c.Result, c.ScopeResult, c.AggregateValue, c.Travel, c.Panel):
        for f in dataclasses.fields(klass):
            assert not any(w in f.name for w in words), f"{klass.__name__}.{f.name}"


@pytest.mark.parametrize("years", [list(range(2015, 2025)), [2016, 2018, 2019, 2020, 2022, 2024]])
def test_whole_array_engine_agrees_with_one_figure_at_a_time(years):
    """The vectorised pass (sorted blocks, stacked sums, in-place travel) against plain per-scope numpy
    and the one-series travel rule, on a random panel with gaps, a one-member group and gapped years."""
    rng = np.random.default_rng(7)
    n = 40
    values = rng.normal(100.0, 30.0, (3, len(years), n)).round(1)
    values[rng.random(values.shape) < 0.15] = NAN
    groups = [f"EKG0{i % 4}" for i in range(n - 1)] + ["EKG09"]
    counties = [("11", "46", "03")[i % 3] for i in range(n)]
    population = rng.integers(500, 50_000, n).astype(float)
    population[3] = NAN
    specs = [c.IndicatorSpec(f"i{i}", Polarity.HIGHER_BETTER, Aggregation.WEIGHTED_MEAN, 1) for i in range(3)]
    p = c.Panel(specs, years, [f"M{i}" for i in range(n)], values, groups, counties, population, {})
    result = c.compute(p)
    for scope, labels in ((c.Scope.KOSTRA_GROUP, groups), (c.Scope.COUNTY, counties), (c.Scope.COUNTRY, ["EAK"] * n)):
        for code in sorted(set(labels)):
            members = np.array([label == code for label in labels])
            for i in range(3):
                for y in range(len(years)):
                    figures = values[i, y, members]
                    figures = figures[~np.isnan(figures)]
                    got = result.aggregate(scope, code, i, y)
                    assert got.with_value == len(figures)
                    if len(figures):
                        assert (got.q1, got.median, got.q3) == pytest.approx(
                            tuple(np.quantile(figures, [0.25, 0.5, 0.75])), abs=1e-9
                        )
                    else:
                        assert (got.q1, got.median, got.q3) == (None, None, None)
    for i in range(3):
        for m in range(n):
            series = {
                year: None if np.isnan(values[i, y, m]) else float(values[i, y, m]) for y, year in enumerate(years)
            }
            for y, year in enumerate(years):
                expected = c.travel(series, to_year=year, polarity=Polarity.HIGHER_BETTER, decimals=1).direction
                assert c.DIRECTION_CODES[int(result.direction[i, y, m])] is expected, (i, m, year)


@pytest.mark.parametrize(("indicators", "years"), [(0, 3), (2, 0), (0, 0)])
def test_an_empty_panel_gives_empty_results(indicators, years):
    spec = c.IndicatorSpec("x", Polarity.HIGHER_BETTER, Aggregation.WEIGHTED_MEAN, 1)
    values = np.full((indicators, years, 4), np.nan)
    p = c.Panel([spec] * indicators, list(range(2020, 2020 + years)), list("ABCD"), values,
                ["EKG01"] * 4, ["11"] * 4, np.ones(4), {})  # fmt: skip
    result = c.compute(p)
    assert result.scopes[c.Scope.COUNTRY].value.shape == (indicators, years, 1)
    assert result.direction.shape == (indicators, years, 4)
