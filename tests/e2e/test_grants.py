"""Prosjektskjønn in a real browser: the application form completed with the keyboard alone, and axe
(WCAG 2.1 AA and 2.2 AA rules) on the form's steps, the public list and a project page."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kommunedialog.grants.models import Application
from kommunedialog.registry.models import Municipality
from tests.e2e.test_public_pages import axe_violations
from tests.factories import UserFactory
from tests.scenario import make_scenario

STEPS = [
    "soker",
    "samarbeid",
    "prosjekt",
    "utfordringer",
    "sektorer",
    "budsjett",
    "periode",
    "vedlegg",
    "bekreftelse",
    "send",
]


@pytest.fixture
def scenario(site):  # type: ignore[no-untyped-def]
    return make_scenario()


def log_in(page: Page, base_url: str, language: str | None = None, **role: str) -> None:
    client = Client()
    client.force_login(UserFactory(**role))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    cookies = [{"name": cookie.key, "value": cookie.value, "url": base_url}]
    if language:
        # The labels the test looks for are the English source texts, whatever the catalogues hold.
        cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url})
    page.context.add_cookies(cookies)


def tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until ``selector`` has the focus: it is reachable by keyboard, in the tab order."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached with the Tab key")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def save_and_continue(page: Page) -> None:
    tab_to(page, "button[type=submit]:not(.ds-button[data-variant=tertiary])")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_application_form_can_be_completed_with_the_keyboard_alone(site, scenario, page: Page):
    log_in(page, site.url, language="en", role="municipality_user", municipality="1133")
    call = scenario["grant_call"]
    page.goto(site.url + "/skjonn/")
    tab_to(page, f"form[action='/skjonn/utlysning/{call.pk}/ny-soknad/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#step-heading")).to_have_text("Applicant")

    type_into(page, "#id_organisation_number", "964979189")
    type_into(page, "#id_contact_name", "Kari Kontakt")
    type_into(page, "#id_contact_email", "kari@example.invalid")
    save_and_continue(page)

    sauda = Municipality.objects.current().get(number="1135")
    tab_to(page, f"input[name=partners][value='{sauda.pk}']")
    page.keyboard.press("Space")
    save_and_continue(page)

    expect(page.get_by_text("Do not write names, health information or other personal data")).to_be_visible()
    type_into(page, "#id_title", "Tastaturprosjekt")
    type_into(page, "#id_summary", "Eit prosjekt fylt ut med tastaturet.")
    tab_to(page, "input[name=theme]")
    page.keyboard.press("Space")
    save_and_continue(page)

    type_into(page, "#id_challenges", "Lange ventetider.")
    type_into(page, "#id_goals", "Kortare ventetider.")
    save_and_continue(page)

    tab_to(page, "input[name=sectors][value=health_care]")
    page.keyboard.press("Space")
    type_into(page, "#id_instruments", "Ny teknologi og samarbeid.")
    save_and_continue(page)

    type_into(page, "#id_lines-0-description", "Prosjektleiing")
    type_into(page, "#id_lines-0-amount", "300000")
    type_into(page, "#id_lines-1-description", "Utvikling")
    type_into(page, "#id_lines-1-amount", "200000")
    type_into(page, "#id_own_share", "100000")
    type_into(page, "#id_other_funding", "0")
    type_into(page, "#id_amount_applied", "400000")
    page.keyboard.press("Tab")  # leaving the field fires "change": the totals are checked with htmx
    expect(page.locator("#budget-totals")).to_contain_text("The budget meets the call's rules.")
    save_and_continue(page)

    type_into(page, "#id_period_start", "01.01.2026")
    type_into(page, "#id_period_end", "31.12.2026")
    save_and_continue(page)

    expect(page.locator("#step-heading")).to_have_text("Attachments")
    tab_to(page, "a[href$='/steg/bekreftelse/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    type_into(page, "#id_chief_executive_name", "Kommunedirektør Dahl")
    tab_to(page, "#id_confirm")
    page.keyboard.press("Space")
    save_and_continue(page)

    expect(page.locator("#step-heading")).to_have_text("Check and submit")
    tab_to(page, "form[action$='/handling/submit/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Done: Submitted.")).to_be_visible()

    application = Application.objects.get(title="Tastaturprosjekt")
    assert (application.state, application.budget().total_cost, application.amount_applied) == (
        "submitted",
        500_000,
        400_000,
    )
    assert list(application.partners.values_list("number", flat=True)) == ["1135"]
    assert (str(application.period_start), str(application.period_end)) == ("2026-01-01", "2026-12-31")


@pytest.mark.parametrize("step", STEPS)
def test_every_step_of_the_form_has_no_wcag_violations(site, scenario, page: Page, step: str):
    log_in(page, site.url, role="municipality_user", municipality="1133")
    page.goto(site.url + f"/skjonn/soknad/{scenario['grant_draft_application'].pk}/steg/{step}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_a_step_with_errors_has_no_wcag_violations(site, scenario, page: Page):
    log_in(page, site.url, language="en", role="municipality_user", municipality="1133")
    page.goto(site.url + f"/skjonn/soknad/{scenario['grant_draft_application'].pk}/steg/periode/")
    page.locator("#id_period_start").fill("31.12.2026")
    page.locator("#id_period_end").fill("01.01.2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("The project cannot end before it starts.")).to_be_visible()
    assert (
        page.locator("#id_period_end").get_attribute("aria-describedby") == "id_period_end_helptext id_period_end_error"
    )
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


@pytest.mark.parametrize("which", ["list", "filtered", "project"])
def test_the_public_pages_have_no_wcag_violations(site, scenario, page: Page, which: str):
    path = {
        "list": "/prosjektskjonn/",
        "filtered": "/prosjektskjonn/?office=rogaland&year=2025",
        "project": f"/prosjektskjonn/prosjekt/{scenario['grant_project'].pk}/",
    }[which]
    page.goto(site.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_filtering_the_public_list_with_htmx(site, scenario, page: Page):
    page.goto(site.url + "/prosjektskjonn/")
    expect(page.locator("#grant-results tbody tr")).to_have_count(1)
    # The filters offer only values that occur among public grants, so the choice narrows, never empties.
    expect(page.locator("#id_office option")).to_have_count(2)
    expect(page.locator("#id_office option").nth(1)).to_have_text("Statsforvalteren i Rogaland")
    page.locator("#id_year").select_option("2025")
    expect(page).to_have_url(site.url + "/prosjektskjonn/?office=&county=&municipality=&year=2025&theme=")
    expect(page.locator("#grant-results tbody tr")).to_have_count(1)
    expect(page.locator("#grant-results")).to_contain_text("Scenario: awarded project")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ({"role": "staff", "office": "rogaland"}, "application"),
        ({"role": "coordinator", "office": "rogaland"}, "decide"),
        ({"role": "coordinator", "office": "rogaland"}, "call_create"),
        ({"role": "coordinator", "office": "rogaland"}, "call"),
        ({"role": "municipality_user", "municipality": "1133"}, "report"),
        ({"role": "municipality_user", "municipality": "1133"}, "project"),
        ({"role": "ministry"}, "ministry"),
    ],
)
def test_the_case_pages_have_no_wcag_violations(site, scenario, page: Page, role: dict[str, str], path: str):
    log_in(page, site.url, **role)
    url = {
        "application": f"/skjonn/soknad/{scenario['grant_application'].pk}/",
        "decide": f"/skjonn/soknad/{scenario['grant_application'].pk}/vedtak/",
        "call_create": "/skjonn/utlysninger/ny/",
        "call": f"/skjonn/utlysning/{scenario['grant_call'].pk}/",
        "report": f"/skjonn/rapport/{scenario['grant_report'].pk}/",
        "project": f"/skjonn/prosjekt/{scenario['grant_project'].pk}/",
        "ministry": "/skjonn/departementet/",
    }[path]
    response = page.goto(site.url + url)
    assert response is not None
    assert response.status == 200
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
