"""The open data page (/apne-data/): the same datasets as the DCAT-AP-NO catalogue, in plain words."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from unittest import mock

import pytest
from django.test import Client

from kommunedialog.api import catalog
from kommunedialog.profiles import services as profile_services
from kommunedialog.profiles.models import Assessment, Profile
from kommunedialog.profiles.states import State
from tests.factories import UserFactory
from tests.policy_walk import policy_modules
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


def page(language: str) -> str:
    response = Client(headers={"Accept-Language": language}).get("/apne-data/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        (
            "nb",
            [
                "Publiserte kommunebilder",
                "Innvilgede prosjektskjønnsmidler",
                "Kommuneindikatorer med sammenligninger",
                "Kommuner, fylker og statsforvalterembeter med kodehistorikk",
            ],
        ),
        (
            "nn",
            [
                "Publiserte kommunebilete",
                "Innvilga prosjektskjønsmidlar",
                "Kommuneindikatorar med samanlikningar",
                "Kommunar, fylke og statsforvaltarembete med kodehistorikk",
            ],
        ),
    ],
)
def test_the_page_lists_every_dataset_in_the_readers_language(language, titles):
    html = page(language)
    assert f'<html lang="{language}"' in html
    found = re.findall(r'<h2 class="ds-heading" data-size="md" id="([a-z-]+)">([^<]+)</h2>', html)
    assert found == [
        ("kommunebilder", titles[0]),
        ("prosjektskjonn", titles[1]),
        ("statistikk", titles[2]),
        ("kommuneregister", titles[3]),
        ("for-catalogues", found[-1][1]),
    ]


def test_the_page_links_every_distribution_with_its_format_and_licence():
    html = page("nb")
    assert '<a class="ds-link" href="/api/v1/grants/360giving.csv">360Giving CSV (regneark)</a> (CSV)' in html
    assert '<a class="ds-link" href="/api/v1/grants/360giving.json">360Giving JSON</a> (JSON)' in html
    assert '<a class="ds-link" href="/api/v1/indicators">Indikatorkatalog (JSON)</a> (JSON)' in html
    assert "<code>/api/v1/municipalities/{number}/kommunebilder</code>" in html
    assert html.count('<a class="ds-link" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>') == 4
    assert 'href="/api/v1/catalog.ttl"' in html
    assert 'href="/api/v1/catalog.jsonld"' in html
    assert '<a class="ds-link" href="https://www.ssb.no/klass/">Statistisk sentralbyrå (SSB)</a>' in html


def test_headings_never_skip_a_level():
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", page("nn"))]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert levels.count(3) == len(catalog.DATASETS)


def test_the_footer_links_the_page(client):
    assert '<a class="ds-link" href="/apne-data/">' in client.get("/").content.decode()


def test_the_page_shows_when_a_dataset_last_changed():
    scenario = make_scenario()
    profile = scenario["draft_profile"]
    Assessment.objects.filter(profile=profile).update(rating="good", justification="Test: justification.")
    Profile.objects.filter(pk=profile.pk).update(state=State.MEETING_HELD, meeting_held_on=dt.date(2026, 11, 2))
    # Late on 2 March UTC is already 3 March in Oslo: the page shows the Norwegian date.
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2031, 3, 2, 23, 30, tzinfo=dt.UTC)):
        profile_services.profile_publish(profile=profile, actor=UserFactory(role="coordinator", office="rogaland"))
    html = page("nn")
    section = html[html.index('id="kommunebilder"') : html.index('id="prosjektskjonn"')]
    assert "<dd>3. mars 2031</dd>" in section


def test_no_draft_or_personal_data_appears_on_the_page():
    scenario = make_scenario()
    marker = f"LEAK{uuid.uuid4().hex}"
    for module in policy_modules():
        for seed in getattr(module, "PRIVATE_SEEDS", []):
            seed(scenario, marker)
    for language in ("nb", "nn", "en"):
        html = page(language)
        assert marker not in html
        assert "Scenario:" not in html
