"""The ministry's national picture on the demo data: exact counts per office and domain, the CSV
exports, who may see it, and that no municipality is named or ordered by its rating."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from kommunedialog.accounts.models import User
from kommunedialog.oversight.models import PlannedSupervision
from kommunedialog.profiles import national
from kommunedialog.profiles.models import MunicipalityVoice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The demo's four published kommunebilder (all Rogaland).
PUBLISHED_NAMES = ["Hjelmeland", "Suldal", "Strand", "Randaberg"]


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_national_picture_on_the_demo(client):
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    picture = national.build()
    rows = {r.office.code: r for r in picture.offices}
    assert (picture.municipalities, picture.published) == (357, 4)
    assert [r.office.name for r in picture.offices] == sorted(r.office.name for r in picture.offices)
    rogaland = rows["rogaland"]
    assert (rogaland.municipalities, rogaland.published, rogaland.cycles_in_progress) == (23, 4, 1)
    assert (rogaland.latest_published_on, rogaland.oldest_published_on, rogaland.latest_age_days) == (today, today, 0)
    # Five sent on consultation (four since published, Sauda still on it); none answered in the demo.
    assert (rogaland.consultations_asked, rogaland.consultations_answered, rogaland.response_rate) == (5, 0, 0)
    assert {code: (r.municipalities, r.published, r.cycles_in_progress) for code, r in rows.items()} == {
        "agder": (25, 0, 0),
        "innlandet": (46, 0, 0),
        "more-romsdal": (27, 0, 0),
        "nordland": (41, 0, 0),
        "rogaland": (23, 4, 1),
        "troms-finnmark": (39, 0, 0),
        "trondelag": (38, 0, 0),
        "vestfold-telemark": (23, 0, 0),
        "vestland": (43, 0, 0),
        "ostfold-buskerud-oslo-akershus": (52, 0, 0),
    }
    assert rows["vestland"].response_rate is None
    # Per domain: good, improvement potential, vulnerable, not assessed (the demo's rotated pattern).
    counted = {(d.domain.value, o.office.code): o.counts for d in picture.domains for o in d.offices if o.total}
    assert counted == {
        ("health_care", "rogaland"): [2, 1, 1, 0],
        ("child_welfare", "rogaland"): [2, 1, 1, 0],
        ("social_housing", "rogaland"): [2, 0, 1, 1],
        ("education", "rogaland"): [2, 0, 1, 1],
        ("economy", "rogaland"): [2, 1, 0, 1],
        ("agriculture", "rogaland"): [2, 1, 0, 1],
        ("environment_climate", "rogaland"): [2, 1, 1, 0],
        ("planning", "rogaland"): [2, 1, 1, 0],
        ("social_services", "rogaland"): [2, 0, 1, 1],
        ("civil_protection", "rogaland"): [2, 0, 1, 1],
    }

    # The demo's supervision plan and Hjelmeland's own words (demo/national.py).
    assert list(PlannedSupervision.objects.values_list("municipality__number", "domain")) == [("1133", "child_welfare")]
    assert MunicipalityVoice.objects.get().snapshot.municipality.number == "1133"

    # The demo's ministry user sees it at /kommunebilde/, with the CSV exports.
    client.force_login(User.objects.get(username="departement"))
    page = client.get("/kommunebilde/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Statsforvalteren i Rogaland" in html
    offices = _csv(client.get("/kommunebilde/nasjonalt/embeter.csv"))
    assert len(offices) == 11
    assert offices[5] == [
        "Statsforvalteren i Rogaland",
        "23",
        "4",
        today.isoformat(),
        "0",
        today.isoformat(),
        "0",
        "1",
        "5",
        "0",
        "0",
    ]
    assert [r[0] for r in offices[1:]] == sorted(r[0] for r in offices[1:])
    domains = _csv(client.get("/kommunebilde/nasjonalt/fagomrader.csv"))
    assert len(domains) == 1 + 11 * 10
    assert domains[5][2:] == ["2", "1", "1", "0", "4"]
    # Counts only: no municipality is named in the page or the exports.
    everything = html + str(offices) + str(domains)
    assert not [name for name in PUBLISHED_NAMES if name in everything]


@pytest.mark.parametrize(
    "role",
    [
        {"role": "admin"},
        {"role": "municipality_user", "municipality": "1133"},
    ],
)
def test_only_the_ministry_sees_the_national_picture(client, role):
    client.force_login(UserFactory(**role))
    assert client.get("/kommunebilde/").status_code == 404
    assert client.get("/kommunebilde/nasjonalt/embeter.csv").status_code == 404
    assert client.get("/kommunebilde/nasjonalt/fagomrader.csv").status_code == 404


def test_staff_keep_their_office_view_and_get_no_export(client):
    client.force_login(UserFactory(role="staff", office="rogaland"))
    page = client.get("/kommunebilde/")
    assert page.status_code == 200
    assert page.templates[0].name == "profiles/cycles.html"
    assert client.get("/kommunebilde/nasjonalt/embeter.csv").status_code == 404


def test_an_unknown_export_is_not_there(client):
    client.force_login(UserFactory(role="ministry"))
    assert client.get("/kommunebilde/").status_code == 200
    assert client.get("/kommunebilde/nasjonalt/kommuner.csv").status_code == 404
