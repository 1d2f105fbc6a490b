from __future__ import annotations

import pytest
from django.test import Client

from kommunedialog.profiles.models import Profile
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return make_scenario()


def test_the_municipality_page_shows_the_published_kommunebilde_with_its_guard_rail(
    scenario, django_assert_max_num_queries
):
    # Rendered afresh (an empty cache): the page's own queries and the content version.
    with django_assert_max_num_queries(10):
        html = Client().get("/kommuner/1133/").content.decode()
    assert "Scenario: published overall picture." in html
    assert "Scenario: published justification." in html
    assert "må ikke brukes til å rangere kommuner" in html
    assert "Data per 1. november 2024" in html
    # Text and icon with the colour, never colour alone.
    assert html.count('<span class="ds-tag rating" data-color="success"><svg class="rating__icon"') == 10
    assert html.count("God kompetanse, kapasitet og kvalitet</span>") == 10


def test_drafts_and_consultation_versions_never_reach_the_public_page(scenario):
    Profile.objects.filter(pk=scenario["draft_profile"].pk).update(
        overall_picture="Draft text that must stay internal."
    )
    html = Client().get("/kommuner/1133/").content.decode()
    assert "Scenario: overall picture on consultation." not in html
    assert "Draft text that must stay internal." not in html


def test_a_snapshot_has_its_own_page_and_other_municipalities_do_not_share_it(scenario):
    snap = scenario["published_snapshot"]
    page = Client().get(f"/kommuner/1133/kommunebilde/{snap.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ("Scenario: published overall picture." in html, "Scenario: published justification." in html) == (
        True,
        True,
    )
    assert Client().get(f"/kommuner/1134/kommunebilde/{snap.pk}/").status_code == 404
    assert Client().get(f"/kommuner/1133/kommunebilde/{snap.pk + 999}/").status_code == 404


def test_a_municipality_without_a_published_picture_says_so(scenario):
    html = Client().get("/kommuner/1134/").content.decode()
    assert "Statsforvalteren har ikke publisert et kommunebilde for denne kommunen ennå." in html


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_public_kommunebilde_dates_are_in_the_readers_language(scenario, language):
    from django.utils import timezone

    from tests.formats import MONTHS_EN, MONTHS_NB

    snap = scenario["published_snapshot"]
    day = timezone.localtime(snap.published_at).date()
    html = " ".join(Client().get("/kommuner/1133/", headers={"Accept-Language": language}).content.decode().split())
    if language == "en":
        expected = f"Published {day.day} {MONTHS_EN[day.month - 1]} {day.year}."
    else:
        expected = f"Publisert {day.day}. {MONTHS_NB[day.month - 1]} {day.year}."
    assert expected in html
    assert day.isoformat() not in html
