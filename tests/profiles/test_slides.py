"""The kommunebilde as slides for the dialogue meeting: the office's coordinators only, an overview and
one slide per domain with its rating in words, its justification and its key charts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kommunedialog.accounts.models import Role
from kommunedialog.profiles import services
from kommunedialog.profiles.models import Assessment, Profile, Rating
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory
from tests.profiles.test_published_evidence import import_free_income

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile() -> Profile:
    hjelmeland = Municipality.objects.current().get(number="1133")
    import_free_income({"1133": 70_000, "1134": 72_000, "1144": 68_000}, dt.datetime(2026, 4, 25, tzinfo=dt.UTC))
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"),
        actor=UserFactory(role=Role.COORDINATOR, office="rogaland"),
        name="Kommunebilde 2026",
        year=2026,
        domains=[("economy", "Økonomi", ""), ("", "Beredskap", "")],
    )
    profile = cycle.profiles.get(municipality=hjelmeland)
    economy, preparedness = profile.assessments.order_by("cycle_domain__position")
    Assessment.objects.filter(pk=economy.pk).update(rating=Rating.IMPROVEMENT, justification="Stram økonomi.")
    Assessment.objects.filter(pk=preparedness.pk).update(rating=Rating.GOOD, justification="God plan.")
    Profile.objects.filter(pk=profile.pk).update(overall_picture="Eit samla bilete.")
    return profile


def url(profile: Profile) -> str:
    return f"/kommunebilde/profil/{profile.pk}/lysbilder/"


def client_for(**role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(**role))
    return client


def test_the_coordinator_sees_an_overview_and_one_slide_per_domain(profile):
    response = client_for(role="coordinator", office="rogaland").get(url(profile), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-slide>") == 3
    assert (
        '<h1 class="ds-heading slide__title" data-size="xl" id="slide-1-title" tabindex="-1">Kommunebilde for Hjelmeland</h1>'
        in html
    )
    assert '<h2 class="ds-heading slide__title" data-size="lg" id="slide-2-title" tabindex="-1">Økonomi</h2>' in html
    assert '<h2 class="ds-heading slide__title" data-size="lg" id="slide-3-title" tabindex="-1">Beredskap</h2>' in html
    assert "Eit samla bilete." in html
    assert "Stram økonomi." in html
    assert "God plan." in html
    # The rating in words with its icon, never colour alone; on the overview and on the domain's slide.
    assert html.count('<span class="ds-tag rating" data-color="warning"><svg class="rating__icon"') == 2
    assert html.count("Improvement potential</span>") == 2
    assert html.count("Good competence, capacity and quality</span>") == 2
    # The economy slide carries its key chart; the domain without statistics has none.
    assert html.count('<figure class="statistics__chart">') == 1
    assert 'id="chart-title-slide-2-free_income_per_capita"' in html
    # Without JavaScript: anchors and next/previous links between the slides, and the way back.
    assert '<a class="ds-link" href="#slide-2" rel="next">Next slide</a>' in html
    assert '<a class="ds-link" href="#slide-2" rel="prev">Previous slide</a>' in html
    assert html.count('rel="next"') == 2
    assert html.count('rel="prev"') == 2
    assert "Slide 3 of 3" in html
    assert f'data-leave="/kommunebilde/profil/{profile.pk}/"' in html
    assert 'src="/static/profiles/slides.js' in html


@pytest.mark.parametrize(
    "role",
    [
        {"role": "staff", "office": "rogaland"},
        {"role": "coordinator", "office": "vestland"},
        {"role": "staff", "office": "vestland"},
        {"role": "municipality_user", "municipality": "1133"},
        {"role": "ministry"},
    ],
    ids=["staff-own-office", "coordinator-other-office", "staff-other-office", "municipality", "ministry"],
)
def test_everyone_but_the_offices_coordinators_gets_404(profile, role):
    assert client_for(**role).get(url(profile)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(profile):
    response = Client().get(url(profile))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/konto/")


def test_an_unknown_kommunebilde_is_404(profile):
    response = client_for(role="coordinator", office="rogaland").get("/kommunebilde/profil/999999/lysbilder/")
    assert response.status_code == 404


def test_the_profile_page_links_to_the_slides_for_the_coordinator_only(profile):
    link = f'href="/kommunebilde/profil/{profile.pk}/lysbilder/"'
    coordinator = client_for(role="coordinator", office="rogaland").get(f"/kommunebilde/profil/{profile.pk}/")
    staff = client_for(role="staff", office="rogaland").get(f"/kommunebilde/profil/{profile.pk}/")
    assert link in coordinator.content.decode()
    assert link not in staff.content.decode()
