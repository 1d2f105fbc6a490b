"""The staff editor shows one domain at a time beside a list of every domain's state; the address says
which domain is open, so it works with JavaScript off."""

from __future__ import annotations

import pytest
from django.test import Client

from kommunedialog.profiles.models import Assessment, Profile, Rating
from tests.factories import UserFactory
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile() -> Profile:
    return make_scenario()["draft_profile"]


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(role="staff", office="rogaland"))
    return client


def editor(client: Client, profile: Profile, query: str = "") -> str:
    response = client.get(f"/kommunebilde/profil/{profile.pk}/{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_one_domain_is_open_and_the_list_shows_every_domain(profile, staff):
    first, second, *rest = profile.assessments.order_by("cycle_domain__position")
    Assessment.objects.filter(pk=first.pk).update(rating=Rating.GOOD, justification="Godt.")
    html = editor(staff, profile)
    # The first domain without a rating opens by default.
    assert html.count('<section class="assessment stack"') == 1
    assert f'id="assessment-{second.pk}"' in html
    assert f'id="assessment-{first.pk}"' not in html
    for a in profile.assessments.all():
        assert f'href="/kommunebilde/profil/{profile.pk}/?omrade={a.pk}#domains-heading"' in html
    assert html.count('aria-current="true"') == 1
    assert f'?omrade={second.pk}#domains-heading" aria-current="true">' in html
    # Each domain's state in words: the rating, and whether a justification is written.
    listed = html[html.index('id="domain-list"') : html.index("</nav>", html.index('id="domain-list"'))]
    assert listed.count("Good competence, capacity and quality</span>") == 1
    assert listed.count("Justification written") == 1
    assert listed.count("Not assessed this cycle</span>") == len(rest) + 1


def test_the_address_opens_the_domain_asked_for(profile, staff):
    *_, last = profile.assessments.order_by("cycle_domain__position")
    html = editor(staff, profile, f"?omrade={last.pk}")
    assert f'id="assessment-{last.pk}"' in html
    assert html.count('<section class="assessment stack"') == 1
    # Something that is not a domain of this kommunebilde opens the default.
    first = profile.assessments.order_by("cycle_domain__position").first()
    assert f'id="assessment-{first.pk}"' in editor(staff, profile, "?omrade=999999")


def test_without_javascript_a_save_returns_to_the_same_domain(profile, staff):
    *_, last = profile.assessments.order_by("cycle_domain__position")
    prefix = f"a{last.pk}-"
    response = staff.post(
        f"/kommunebilde/profil/{profile.pk}/vurdering/{last.pk}/",
        {f"{prefix}rating": "good", f"{prefix}justification": "Godt arbeid.", f"{prefix}version": "1"},
    )
    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"/kommunebilde/profil/{profile.pk}/?omrade={last.pk}#domains-heading",
    )


def test_a_refused_save_keeps_its_domain_open_with_what_was_typed(profile, staff):
    *_, last = profile.assessments.order_by("cycle_domain__position")
    prefix = f"a{last.pk}-"
    response = staff.post(
        f"/kommunebilde/profil/{profile.pk}/vurdering/{last.pk}/",
        {f"{prefix}rating": "vulnerable", f"{prefix}justification": "", f"{prefix}version": "1"},
        headers={"Accept-Language": "en"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="assessment-{last.pk}"' in html
    assert html.count('<section class="assessment stack"') == 1
    assert "A rating needs a justification." in html
    last.refresh_from_db()
    assert (last.rating, last.version) == ("", 1)


def test_under_htmx_a_save_brings_the_list_of_domains_along(profile, staff):
    first = profile.assessments.order_by("cycle_domain__position").first()
    prefix = f"a{first.pk}-"
    response = staff.post(
        f"/kommunebilde/profil/{profile.pk}/vurdering/{first.pk}/",
        {f"{prefix}rating": "good", f"{prefix}justification": "Godt.", f"{prefix}version": "1"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<nav class="domain-list" id="domain-list" aria-labelledby="domain-list-heading" hx-swap-oob="true">' in html
    assert "Justification written" in html
