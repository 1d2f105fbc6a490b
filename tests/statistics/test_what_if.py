"""Municipal-structure what-if on real data from ../shared/data: Hjelmeland and Suldal as one municipality.

The neighbours come from Kartverket's map (the register import reads them); the figures from the omsorg
panel (SSB's population by age, 2007–2025)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from kommunedialog.registry.geo import read_neighbours
from kommunedialog.registry.models import Municipality, Neighbour
from kommunedialog.statistics import catalogue, whatif
from kommunedialog.statistics.models import Observation
from tests.statistics.conftest import data_path
from tests.statistics.test_importers import OMSORG, store

pytestmark = pytest.mark.django_db

HJELMELAND, SULDAL, STRAND, OSLO = "1133", "1134", "1130", "0301"


@pytest.fixture
def omsorg(db):  # type: ignore[no-untyped-def]
    from kommunedialog.statistics import services

    store(OMSORG)
    services.statistics_refresh_aggregates()


def test_neighbours_are_the_pairs_that_share_a_border_on_the_map():
    problems: list[str] = []
    pairs = read_neighbours(data_path("geo/kommuner-2024-S.topojson"), problems)
    assert (problems, len(pairs)) == ([], 736)
    assert Neighbour.objects.count() == 736  # the register import stored them
    assert Neighbour.objects.filter(first=HJELMELAND, second=SULDAL).exists()
    assert not Neighbour.objects.filter(first=OSLO, second=HJELMELAND).exists()
    assert sorted(whatif.neighbours_of([HJELMELAND])[HJELMELAND]) == [
        "1108",
        "1130",
        "1134",
        "4222",
    ]  # Sandnes, Strand, Suldal, Bykle


def test_merged_population_is_the_sum_of_the_members(omsorg):
    result = whatif.what_if([SULDAL, HJELMELAND])
    assert [m.name_norwegian for m in result.members] == ["Hjelmeland", "Suldal"]  # alphabetical
    row = result.row("population")
    assert (row.year, row.method, row.value, row.members) == (2025, "sum", 6620.0, [2681.0, 3939.0])


def test_a_ratio_is_derived_again_from_the_summed_numerators_and_denominators(omsorg):
    row = whatif.what_if([HJELMELAND, SULDAL]).row("population_share_67plus")
    stored = Observation.objects.filter(
        series=catalogue.by_key()["population_share_67plus"].calc_series,
        municipality__in=[HJELMELAND, SULDAL],
        year=2025,
    )
    top = sum(t["value"] for o in stored for t in o.inputs["numerator"])
    bottom = sum(t["value"] for o in stored for t in o.inputs["denominator"])
    assert (top, bottom) == (401 + 159 + 583 + 234, 6620)
    assert (row.method, row.numerator, row.denominator) == ("ratio", top, bottom)
    assert row.value == top / bottom * 100
    # Not the mean of the two ratios, which gives another number.
    assert row.value != sum(row.members) / 2  # type: ignore[arg-type]


def test_a_key_figure_without_numerator_is_weighted_by_population(omsorg):
    result = whatif.what_if([HJELMELAND, SULDAL])
    weighted = [r for r in result.rows if r.method == "weighted_mean"]
    assert weighted
    for row in weighted:
        population = {
            o.municipality: o.value
            for o in Observation.objects.filter(
                series="omsorgspanel/folk_ialt/", municipality__in=[HJELMELAND, SULDAL], year=row.year
            )
        }
        weights = [population[HJELMELAND], population[SULDAL]]
        expected = sum(v * w for v, w in zip(row.members, weights, strict=True)) / sum(weights)  # type: ignore[operator]
        assert row.value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ([HJELMELAND], "Choose at least two neighbouring municipalities."),
        ([HJELMELAND, "9876"], "No current municipality has the number 9876."),
        (
            [HJELMELAND, OSLO],
            "Oslo do not border on Hjelmeland or the others chosen: the municipalities must form one area.",
        ),
    ],
)
def test_a_choice_that_is_not_one_area_of_neighbours_is_refused(numbers, message):
    with translation.override("en"), pytest.raises(whatif.WhatIfError) as refused:
        whatif.what_if(numbers)
    with translation.override("en"):
        assert str(refused.value) == message


def test_three_neighbours_in_a_chain_are_one_area(omsorg):
    # Strand borders on Hjelmeland, Hjelmeland on Suldal; Strand and Suldal do not meet.
    assert not Neighbour.objects.filter(first=STRAND, second=SULDAL).exists()
    result = whatif.what_if([STRAND, SULDAL, HJELMELAND])
    assert [m.number for m in result.members] == [HJELMELAND, STRAND, SULDAL]


def test_the_open_api_gives_the_merged_figures(client, omsorg):
    response = client.get("/api/v1/what-if?municipalities=1133,1134")
    assert response.status_code == 200
    body = response.json()
    assert [m["name"] for m in body["members"]] == ["Hjelmeland", "Suldal"]
    population = next(f for f in body["figures"] if f["indicator"] == "population")
    assert population == {
        "indicator": "population",
        "domain": "planning",
        "unit": "personer",
        "year": 2025,
        "value": 6620.0,
        "method": "sum",
        "numerator": None,
        "denominator": None,
        "members": {"1133": 2681.0, "1134": 3939.0},
    }
    refused = client.get("/api/v1/what-if?municipalities=1133,0301", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "do not border" in refused.json()["detail"]
    assert "/api/v1/what-if" in client.get("/api/v1/openapi.json").json()["paths"]


def test_the_page_works_as_a_plain_form(client, omsorg):
    empty = client.get("/statistikk/sammenslaing/", HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 200
    options = empty.content.decode().split('name="m"')[1]
    assert options.index("Hjelmeland (1133)") < options.index("Suldal (1134)")
    page = client.get("/statistikk/sammenslaing/?m=1134&m=1133", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Merged: Hjelmeland, Suldal" in text
    assert "<strong>6,620</strong>" in text
    assert "Computed: ratio of the municipalities&#x27; summed numerators and denominators" in text
    refused = client.get("/statistikk/sammenslaing/?m=1133&m=0301", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "do not border" in refused.content.decode()


def test_one_municipality_from_its_own_page_is_offered_its_neighbours(client, omsorg):
    own_page = client.get("/kommuner/1133/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/statistikk/sammenslaing/?m=1133">What if Hjelmeland merged with a neighbour?</a>' in own_page
    page = client.get("/statistikk/sammenslaing/?m=1133", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Merge Hjelmeland with a neighbour" in text
    offered = re.findall(r'href="\?m=1133&amp;m=\d{4}">([^<]+)</a>', text)
    assert offered == ["Hjelmeland + Bykle", "Hjelmeland + Sandnes", "Hjelmeland + Strand", "Hjelmeland + Suldal"]
    assert "Merged:" not in text


def test_a_municipality_with_no_neighbour_on_land_is_told_so(client, omsorg):
    islands = set(
        Municipality.objects.current()
        .exclude(number__in=Neighbour.objects.values("first"))
        .exclude(number__in=Neighbour.objects.values("second"))
        .values_list("number", flat=True)
    )
    assert islands  # island municipalities such as Træna share no border on the map
    number = sorted(islands)[0]
    text = client.get(f"/statistikk/sammenslaing/?m={number}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "borders on no other municipality on land" in text
