"""After load_demo: the Rogaland demo pictures carry real figures in every domain that has them, over
several years, beside their KOSTRA group, county and country; the signal rules fire on those figures
and every rating that departs from its signal says why; domains without real data say so."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from kommunedialog.profiles import services as profile_services
from kommunedialog.profiles.models import Assessment
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue
from kommunedialog.statistics.models import Aggregate, Observation

pytestmark = pytest.mark.django_db

ROGALAND_DEMO = {"1133": 21, "1134": 21, "1130": 23, "1127": 23}  # Hjelmeland, Suldal, Strand, Randaberg
WITH_FIGURES = {"child_welfare", "economy", "education", "health_care", "planning", "social_housing"}
WITHOUT_FIGURES = ["agriculture", "environment_climate", "social_services", "reindeer_husbandry", "civil_protection"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)
        from tests.conftest import load_register

        load_register()


def figures_of(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in item["figures"] if f["value"] is not None]


@pytest.mark.parametrize(("number", "count"), ROGALAND_DEMO.items())
def test_the_open_api_gives_each_rogaland_demo_municipality_real_figures(demo, client, number: str, count: int):
    body = client.get(f"/api/v1/municipalities/{number}/indicators").json()
    shown = [i for i in body["indicators"] if figures_of(i)]
    assert len(shown) == count
    assert {i["domain"] for i in shown} == WITH_FIGURES
    several_years = [i for i in shown if len({f["year"] for f in figures_of(i)}) >= 3]
    assert len(several_years) == 16
    # Beside the KOSTRA group, the county and the country wherever an aggregate is meaningful.
    for item in shown:
        latest = figures_of(item)[-1]["year"]
        scopes = [[a for a in item[s] if a["year"] == latest] for s in ("kostra_group", "county", "country")]
        assert all(len(found) == 1 for found in scopes), item["indicator"]
        if catalogue.by_key()[item["indicator"]].aggregation.value != "none":
            # The country always has a figure; a small group or county may have too few members with
            # figures (Suldal's EKG17: 6 of 8 in 2024), and then says so instead of guessing.
            assert scopes[2][0]["value"] is not None, item["indicator"]
            for (found,) in scopes[:2]:
                assert found["value"] is not None or found["method"] == "insufficient", item["indicator"]
    # A domain without real data says so, and nothing fills it in.
    assert [d["domain"] for d in body["domains_without_figures"]] == WITHOUT_FIGURES
    # Every figure is the source's value, or a ratio computed from source values that says what from.
    for item in shown:
        for figure in figures_of(item):
            if figure["table"] == "calc":
                assert figure["computed_from"]["numerator"]
                assert figure["computed_from"]["denominator"]
            elif figure["code_history"] in ("combined", "apportioned"):
                assert figure["computed_from"]["from"]
            else:
                stored = Observation.objects.get(
                    table__table_id=figure["table"],
                    content_code=figure["content_code"],
                    region=figure["region"],
                    period=figure["period"],
                    municipality=number,
                )
                assert stored.value == figure["value"]


def test_twenty_indicators_reach_300_municipalities_and_the_country_population_is_ssbs(demo):
    current = set(Municipality.objects.current().values_list("number", flat=True))
    reach = {}
    for indicator in catalogue.with_figures():
        reach[indicator.key] = (
            Observation.objects.filter(series__in=indicator.all_series, value__isnull=False, municipality__in=current)
            .values("municipality")
            .distinct()
            .count()
        )
    assert sum(1 for n in reach.values() if n >= 300) == 21
    assert sum(1 for n in reach.values() if n > 0) == 55
    population = {
        a.year: (a.value, a.method) for a in Aggregate.objects.filter(series="07459/Personer1/", scope="country")
    }
    # SSB's published population of Norway on 1 January (data README): every municipality, summed.
    assert population[2022] == (5425270, "sum")
    assert population[2024] == (5550203, "sum")
    assert population[2025] == (5594340, "sum")


def test_the_signals_fire_on_real_figures_and_every_departure_says_why(demo):
    fired = departed = 0
    for assessment in Assessment.objects.filter(profile__snapshot__isnull=False).select_related("profile"):
        signal = profile_services.signal_for_assessment(assessment)
        fired += signal.proposed is not None
        if signal.departs(assessment.rating):
            departed += 1
            assert assessment.departure_reason.strip(), assessment
    assert (fired, departed) == (8, 6)
