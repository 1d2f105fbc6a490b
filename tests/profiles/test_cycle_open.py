"""Opening a cycle from the page: the national domains as default, editable per cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from kommunedialog.core.domains import Domain
from kommunedialog.profiles.forms import chapter_initial
from kommunedialog.profiles.models import Cycle, CycleDomain, Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/kommunebilde/runde/ny/"


def form_data(**overrides: object) -> dict[str, object]:
    """The page's form as it comes, with ``overrides`` (``chapters-3-title`` …) applied."""
    initial = chapter_initial()
    data: dict[str, object] = {
        "name": "Kommunebilde 2027",
        "year": 2027,
        "consultation_weeks": 4,
        "target_publication": "2027-06-15",
        "chapters-TOTAL_FORMS": len(initial),
        "chapters-INITIAL_FORMS": len(initial),
        "chapters-MIN_NUM_FORMS": 0,
        "chapters-MAX_NUM_FORMS": 30,
    }
    for i, row in enumerate(initial):
        for key, value in row.items():
            if key == "include":
                if value:
                    data[f"chapters-{i}-include"] = "on"
            else:
                data[f"chapters-{i}-{key}"] = value
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def coordinator(client):  # type: ignore[no-untyped-def]
    user = UserFactory(role="coordinator", office="rogaland")
    client.force_login(user)
    return user


def test_the_national_default_opens_ten_chapters_and_a_profile_per_municipality(client, coordinator):
    response = client.post(URL, form_data())
    cycle = Cycle.objects.get(name="Kommunebilde 2027")
    assert response.status_code == 302
    assert (cycle.consultation_weeks, cycle.target_publication) == (4, dt.date(2027, 6, 15))
    assert list(cycle.domains.values_list("domain", flat=True)) == [
        d.value for d in Domain if d != Domain.REINDEER_HUSBANDRY
    ]
    assert Profile.objects.filter(cycle=cycle).count() == 23


def test_a_cycle_renames_leaves_out_and_adds_chapters_with_themes(client, coordinator):
    last = len(chapter_initial()) - 1
    client.post(
        URL,
        form_data(
            **{
                "chapters-0-title": "Helse, omsorg og fastlegesituasjonen",
                "chapters-0-themes": "fastlegesituasjonen; rekruttering",
                "chapters-1-include": None,
                f"chapters-{last}-include": "on",
                f"chapters-{last}-title": "Folkehelse",
                f"chapters-{last}-themes": "oversiktsarbeid",
            }
        ),
    )
    chapters = list(
        CycleDomain.objects.filter(cycle__name="Kommunebilde 2027").values_list("domain", "title", "themes")
    )
    assert chapters[0] == ("health_care", "Helse, omsorg og fastlegesituasjonen", "fastlegesituasjonen; rekruttering")
    assert "child_welfare" not in [domain for domain, _title, _themes in chapters]
    assert chapters[-1] == ("", "Folkehelse", "oversiktsarbeid")
    assert len(chapters) == 10


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({f"chapters-{i}-include": None for i in range(13)}, "Include at least one chapter."),
        ({"chapters-1-title": "Helse og omsorg"}, "Two chapters have the same title."),
        ({"chapters-11-include": "on", "chapters-11-title": ""}, "A chapter needs a title."),
    ],
)
def test_a_bad_chapter_list_is_refused_and_nothing_is_opened(client, coordinator, overrides, message):
    response = client.post(URL, form_data(**overrides), headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Cycle.objects.count() == 0
    assert CycleDomain.objects.count() == 0


def test_a_second_cycle_with_the_same_name_is_refused(client, coordinator):
    client.post(URL, form_data())
    response = client.post(URL, form_data(), headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The office already has a cycle with this name." in response.content.decode()
    assert Cycle.objects.count() == 1


def test_staff_who_are_not_coordinators_cannot_open_a_cycle(client):
    client.force_login(UserFactory(role="staff", office="rogaland"))
    assert client.post(URL, form_data()).status_code == 403
    assert Cycle.objects.count() == 0


def test_a_visit_round_opens_the_cycle_for_the_chosen_municipalities_only(client, coordinator):
    from kommunedialog.registry.models import Municipality

    chosen = Municipality.objects.current().filter(number__in=["1133", "1135"])
    page = client.get("/kommunebilde/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Municipalities (a visit round)" in page.content.decode()
    response = client.post(URL, {**form_data(), "municipalities": [m.pk for m in chosen]})
    assert response.status_code == 302
    cycle = Cycle.objects.get(name="Kommunebilde 2027")
    assert sorted(cycle.profiles.values_list("municipality__number", flat=True)) == ["1133", "1135"]


def test_a_visit_round_with_another_offices_municipality_is_refused(client, coordinator):
    from kommunedialog.registry.models import Municipality

    bergen = Municipality.objects.current().get(number="4601")
    response = client.post(URL, {**form_data(), "municipalities": [bergen.pk]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Cycle.objects.filter(name="Kommunebilde 2027").exists()
