"""A per-inhabitant figure for the whole country where the source has the national numerator but the
population table has no national row: the population is the sum of every current municipality's, and
only when every one has a figure (else the national figure stays "not computed")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kommunedialog.statistics import catalogue, derive

FETCHED = dt.datetime(2026, 4, 25, tzinfo=dt.UTC)


def figure(series: str, region: str, year: int, value: float) -> derive.Figure:
    return derive.Figure(series, region, str(year), value, "same", "final", None, FETCHED)


def grids(populations: dict[str, float]) -> dict[str, derive.Grid]:
    indicator = catalogue.by_key()["admin_net_expenditure_per_capita"]
    found: dict[str, derive.Grid] = defaultdict(lambda: defaultdict(dict))
    numerator = catalogue.term_sources(indicator.numerator[0])[0].series
    found[numerator][("country", "EAK")][2020] = figure(numerator, "EAK", 2020, 20_000)  # in 1000 kr
    population = catalogue.term_sources(indicator.denominator[0])[0].series
    for number, value in populations.items():
        found[population][("municipality", number)][2021] = figure(population, number, 2021, value)
    return found


def test_the_country_figure_divides_by_the_sum_of_the_municipalities():
    indicator = catalogue.by_key()["admin_net_expenditure_per_capita"]
    computed = derive.compute(indicator, grids({"1133": 3000, "1134": 7000}), frozenset({"1133", "1134"}))
    assert computed[(("country", "EAK"), 2020)]["value"] == 2000.0  # 20 000 000 kr / 10 000 inhabitants


def test_no_country_figure_while_a_municipality_lacks_its_population():
    indicator = catalogue.by_key()["admin_net_expenditure_per_capita"]
    computed = derive.compute(indicator, grids({"1133": 3000}), frozenset({"1133", "1134"}))
    assert (("country", "EAK"), 2020) not in computed
