"""The transparency site: only awarded grants the office has checked for publication, their published
reports and flagged attachments; filters and totals; the project page; the municipality page partial."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

from kommunedialog.grants import public, services
from kommunedialog.grants.public import GrantFilter
from kommunedialog.registry.models import Municipality
from tests.factories import CallFactory, UserFactory, advance, close_call, complete_application
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return make_scenario()


def test_only_checked_awarded_grants_are_listed(scenario):
    page = Client().get("/prosjektskjonn/").content.decode()
    assert "Scenario: awarded project" in page
    for hidden in (
        "Scenario: unchecked awarded project",
        "Scenario: application under assessment",
        "Scenario: draft application",
    ):
        assert hidden not in page
    assert [g.title for g in public.grants()] == ["Scenario: awarded project"]
    assert public.totals() == public.Totals(count=1, amount=400_000)


def test_the_project_page_shows_published_reports_and_flagged_attachments_only(scenario):
    project = scenario["grant_project"]
    page = Client().get(f"/prosjektskjonn/prosjekt/{project.pk}/").content.decode()
    assert "Scenario: awarded project" in page
    assert "Samandrag: Scenario: awarded project." in page
    assert "Scenario: done." in page  # the published interim report
    assert "Scenario: public project plan" in page
    assert "Scenario: private budget notes" not in page
    assert "Kontakt Person" not in page
    assert "kontakt@example.invalid" not in page
    public_file = f"/prosjektskjonn/prosjekt/{project.pk}/vedlegg/{scenario['grant_public_attachment'].pk}/"
    private_file = f"/prosjektskjonn/prosjekt/{project.pk}/vedlegg/{scenario['grant_private_attachment'].pk}/"
    assert Client().get(public_file).status_code == 200
    assert Client().get(private_file).status_code == 404


def test_an_unchecked_project_is_not_there(scenario):
    hidden = scenario["grant_hidden_application"].project
    assert Client().get(f"/prosjektskjonn/prosjekt/{hidden.pk}/").status_code == 404
    assert public.project(hidden.pk) is None


def test_filters_and_totals(db, people):
    rogaland = CallFactory(year=2025)
    vestland = CallFactory(office="vestland", year=2026, themes=["cooperation"])
    staff_v = UserFactory(role="staff", office="vestland")
    coordinator_v = UserFactory(role="coordinator", office="vestland")
    grants = [
        complete_application(rogaland, applicant=people["applicant"], title="Rogaland A", partners=("1134",)),
        complete_application(
            vestland, municipality="4601", title="Vestland B", amount_applied=300_000, own_share=200_000
        ),
    ]
    grants[0] = advance(grants[0], "recommended", **people)
    grants[1] = advance(grants[1], "recommended", applicant=grants[1].created_by, staff=staff_v)
    for application, coordinator, staff in (
        (grants[0], people["coordinator"], people["staff"]),
        (grants[1], coordinator_v, staff_v),
    ):
        close_call(application.call)
        advance(application, "approved", applicant=application.created_by, staff=staff, coordinator=coordinator)
        services.application_set_publication(application=application, actor=staff, publish=True)

    def titles(**filters):
        return [g.title for g in public.grants(GrantFilter(**filters))]

    assert titles() == ["Vestland B", "Rogaland A"]
    assert titles(office="rogaland") == ["Rogaland A"]
    assert titles(county="46") == ["Vestland B"]
    assert titles(municipality="1134") == ["Rogaland A"]  # a partner counts
    assert titles(year=2026) == ["Vestland B"]
    assert titles(theme="cooperation") == ["Vestland B"]
    assert public.totals(GrantFilter(office="vestland")) == public.Totals(count=1, amount=300_000)
    page = Client().get("/prosjektskjonn/?office=rogaland", headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="grant-results"')
    assert "Rogaland A" in page
    assert "Vestland B" not in page
    # An unknown filter value falls back to everything rather than an error page.
    everything = Client().get("/prosjektskjonn/?year=abc")
    assert everything.status_code == 200
    assert ("Rogaland A" in everything.content.decode(), "Vestland B" in everything.content.decode()) == (True, True)


def test_the_municipality_page_partial_lists_its_grants(scenario):
    hjelmeland = Municipality.objects.current().get(number="1133")
    html = render_to_string(
        "grants/partials/municipality_grants.html",
        {"municipality": hjelmeland, "municipality_grants": public.awarded_for_municipality(hjelmeland)},
    )
    assert "Scenario: awarded project" in html
    assert "Scenario: unchecked awarded project" not in html
    assert [g.title for g in public.awarded_for_municipality(hjelmeland)] == ["Scenario: awarded project"]
    suldal = Municipality.objects.current().get(number="1134")
    assert public.awarded_for_municipality(suldal) == []


def test_no_private_text_reaches_the_public_pages_or_the_open_data(scenario):
    from kommunedialog.grants.policy import PRIVATE_SEEDS

    marker = "PRIVATEMARKER42"
    for seed in PRIVATE_SEEDS:
        seed(scenario, marker)
    project = scenario["grant_project"]
    for url in (
        "/prosjektskjonn/",
        f"/prosjektskjonn/prosjekt/{project.pk}/",
        "/api/v1/grants",
        "/api/v1/grants/360giving.json",
        "/api/v1/grants/360giving.csv",
    ):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert marker not in response.content.decode(), url
