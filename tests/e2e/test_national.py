"""Issue 16 in a real browser, from each person's own start page and by links only: the ministry opens
the national picture and downloads it as CSV; staff put a supervision on next year's plan; the
municipality writes its own words beside its kommunebilde and finds them on the public page. axe finds
nothing on any of these pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import Browser, Page, expect

from kommunedialog.oversight.models import PlannedSupervision, Supervision
from kommunedialog.profiles.models import MunicipalityVoice
from kommunedialog.registry.models import Municipality
from tests.e2e.test_grants import log_in
from tests.e2e.test_public_pages import axe_violations
from tests.scenario import make_scenario


@pytest.fixture
def scenario(site):  # type: ignore[no-untyped-def]
    scenario = make_scenario()
    # Two open nonconformities in Suldal's child welfare: the signal that puts Suldal on the list.
    Supervision.objects.create(
        municipality=Municipality.objects.current().get(number="1134"),
        domain="child_welfare",
        authority="statsforvalteren",
        reference="2025/77",
        topic="Tiltaksplaner",
        supervision_type="system_audit",
        carried_out_on=dt.date(2025, 5, 6),
        nonconformity_count=2,
    )
    return scenario


def english_page(browser: Browser) -> Page:
    return browser.new_context(locale="en-GB").new_page()


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_the_ministry_opens_the_national_picture_and_downloads_it(site, browser: Browser, scenario):
    page = english_page(browser)
    log_in(page, site.url, language="en", role="ministry")
    page.goto(site.url + "/konto/meg/")
    page.get_by_role("link", name="Kommunebilder nationally").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunebilder nationally")
    offices = page.get_by_role("table", name="Offices by name")
    rogaland = offices.get_by_role("row", name="Statsforvalteren i Rogaland")
    expect(rogaland.get_by_role("cell").nth(0)).to_have_text("23")
    expect(rogaland.get_by_role("cell").nth(1)).to_have_text("1")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the offices as CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Statsforvalteren i Rogaland;23;1;" in text


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_staff_put_a_supervision_on_next_years_plan(site, browser: Browser, scenario, javascript):
    page = browser.new_context(locale="en-GB", java_script_enabled=javascript).new_page()
    log_in(page, site.url, language="en", role="staff", office="rogaland")
    page.goto(site.url + "/konto/meg/")
    page.get_by_role("link", name="Supervision planning – Statsforvalteren i Rogaland").click()
    if javascript:  # axe runs as a script in the page
        assert_accessible(page)
    page.get_by_role("link", name="Plan a supervision of Suldal, Child welfare").click()
    expect(page.get_by_label("Municipality")).to_have_value("1134")
    expect(page.get_by_label("Domain")).to_have_value("child_welfare")
    page.get_by_label("Reason").fill("To åpne avvik om tiltaksplaner.")
    page.get_by_role("button", name="Add to the plan").click()
    plan = page.get_by_role("table", name="Planned supervisions, municipalities by name")
    expect(plan.get_by_role("row", name="Suldal")).to_contain_text("To åpne avvik om tiltaksplaner.")
    if javascript:
        assert_accessible(page)
    assert sorted(PlannedSupervision.objects.values_list("municipality__number", "domain")) == [
        ("1133", "child_welfare"),
        ("1134", "child_welfare"),
    ]


def test_the_municipality_adds_its_words_and_finds_them_on_the_public_page(site, browser: Browser, scenario):
    page = english_page(browser)
    log_in(page, site.url, language="en", role="municipality_user", municipality="1133")
    page.goto(site.url + "/konto/meg/")
    page.get_by_role("link", name="Our kommunebilder").click()
    page.get_by_role("link", name="Add our own improvement goals and a comment").click()
    assert_accessible(page)
    page.locator("#id_goal_0").fill("Flere fastleger innen 2027.")
    page.get_by_label("Comment on the kommunebilde").fill("Vi kjenner oss igjen i bildet.")
    page.get_by_role("button", name="Save our words").click()
    words = page.get_by_role("complementary", name="In Hjelmeland's own words")
    expect(words).to_contain_text("Written by the municipality, not by the County Governor.")
    expect(words).to_contain_text("Flere fastleger innen 2027.")
    assert_accessible(page)
    page.get_by_role("link", name="Hjelmeland").first.click()
    expect(page.get_by_role("complementary", name="In Hjelmeland's own words")).to_contain_text(
        "Vi kjenner oss igjen i bildet."
    )
    assert_accessible(page)
    assert MunicipalityVoice.objects.get().comment == "Vi kjenner oss igjen i bildet."
