"""The lessons library reads only what is already public: published final reports of grants the office
has flagged for publication. Filters by theme, domain, size of the municipality, year and words."""

from __future__ import annotations

from typing import Any

import pytest

from kommunedialog.grants import lessons, services
from kommunedialog.grants.models import Application
from tests.factories import advance, close_call, complete_application, write_report

pytestmark = pytest.mark.django_db


def approved(call: Any, people: dict[str, Any], *titles: str) -> list[Application]:
    """Hjelmeland's applications (with Sauda) with these titles, all approved after the call closed."""
    found = [
        advance(
            complete_application(call, applicant=people["applicant"], partners=("1135",), title=t),
            "recommended",
            **people,
        )
        for t in titles
    ]
    close_call(call)
    return [advance(a, "approved", **people) for a in found]


def finish(application: Application, people: dict[str, Any], *, publish_report: bool, flag: bool) -> None:
    if flag:
        services.application_set_publication(application=application, actor=people["staff"], publish=True)
    final = write_report(application.project.reports.get(kind="final"), people["applicant"])
    final = services.report_submit(report=final, actor=people["applicant"])
    final = services.report_approve(report=final, actor=people["staff"])
    if publish_report:
        services.report_publish(report=final, actor=people["staff"])


def test_only_published_final_reports_of_flagged_grants_are_in_the_library(call, people, client):
    shown, unpublished_report, unflagged = approved(
        call, people, "Digital heimeteneste", "Ikkje publisert rapport", "Ikkje kontrollert søknad"
    )
    finish(shown, people, publish_report=True, flag=True)
    finish(unpublished_report, people, publish_report=False, flag=True)
    finish(unflagged, people, publish_report=True, flag=False)
    found = lessons.search()
    assert [(x.title, x.municipality, x.partners, x.results, x.lessons_learned) for x in found] == [
        ("Digital heimeteneste", "Hjelmeland", ("Sauda",), "Kortare ventetid.", "Start tidleg.")
    ]
    page = client.get("/prosjektskjonn/laering/?q=tidleg", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Digital heimeteneste" in page
    assert "Ikkje publisert rapport" not in page
    assert "Ikkje kontrollert søknad" not in page
    # No contact person or other private field of the application reaches the page.
    assert shown.contact_email not in page
    assert shown.contact_name not in page


def test_the_filters_narrow_the_lessons(call, people):
    [application] = approved(call, people, "Digital heimeteneste")
    finish(application, people, publish_report=True, flag=True)
    year, theme = application.call.year, application.theme
    assert [x.title for x in lessons.search(q="ventetid start", theme=theme, size="small", year=year)] == [
        "Digital heimeteneste"
    ]  # Hjelmeland: under 5 000 inhabitants
    assert [x.domain_labels for x in lessons.search(domain="health_care")] == [("Health and care",)]
    assert lessons.search(domain="economy") == []
    assert lessons.search(size="largest") == []
    assert lessons.search(year=year - 1) == []
    assert lessons.search(q="finst ikkje") == []
    assert lessons.years() == [year]


def test_the_page_filters_by_domain_and_names_the_domains(call, people, client):
    health, economy = approved(call, people, "Digital heimeteneste", "Betre budsjett")
    Application.objects.filter(pk=economy.pk).update(sectors=["economy", "planning"])
    for application in (health, economy):
        finish(application, people, publish_report=True, flag=True)
    page = client.get("/prosjektskjonn/laering/?domain=economy", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Betre budsjett" in page
    assert "Digital heimeteneste" not in page
    assert "Domains: Municipal economy, Municipal planning" in page
    everything = client.get("/prosjektskjonn/laering/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Betre budsjett" in everything
    assert "Digital heimeteneste" in everything
