"""The kommunebilde as slides in a real browser: the coordinator opens them from the profile page and
moves with the keyboard; axe finds nothing on any slide. Without JavaScript it is one long page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, expect

from kommunedialog.profiles.models import Assessment, Rating
from tests.e2e.test_grants import log_in
from tests.e2e.test_public_pages import axe_violations
from tests.scenario import make_scenario


@pytest.fixture
def profile(site):  # type: ignore[no-untyped-def]
    profile = make_scenario()["draft_profile"]
    Assessment.objects.filter(profile=profile).update(rating=Rating.IMPROVEMENT, justification="Scenario-grunngiving.")
    return profile


def test_the_coordinator_moves_through_the_slides_with_the_keyboard(site, browser: Browser, profile):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log_in(page, site.url, language="en", role="coordinator", office="rogaland")
    page.goto(f"{site.url}/kommunebilde/profil/{profile.pk}/")
    page.get_by_role("link", name="Show as slides for the meeting").click()
    slides = page.locator("[data-slide]")
    total = profile.assessments.count() + 1
    expect(slides).to_have_count(total)
    visible = page.locator("[data-slide]:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_have_attribute("id", "slide-1")
    assert axe_violations(page) == []
    page.keyboard.press("ArrowRight")
    expect(visible).to_have_attribute("id", "slide-2")
    expect(page).to_have_url(f"{site.url}/kommunebilde/profil/{profile.pk}/lysbilder/#slide-2")
    expect(visible).to_contain_text("Improvement potential")
    expect(visible).to_contain_text("Scenario-grunngiving.")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    page.keyboard.press("PageDown")
    expect(visible).to_have_attribute("id", "slide-3")
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    expect(visible).to_have_attribute("id", "slide-1")
    page.keyboard.press("ArrowLeft")  # there is nothing before the first
    expect(visible).to_have_attribute("id", "slide-1")
    page.keyboard.press("End")
    expect(visible).to_have_attribute("id", f"slide-{total}")
    page.keyboard.press("Home")
    expect(visible).to_have_attribute("id", "slide-1")
    page.get_by_role("link", name="Next slide").click()
    expect(visible).to_have_attribute("id", "slide-2")
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"{site.url}/kommunebilde/profil/{profile.pk}/")
    context.close()


def test_without_javascript_the_slides_are_one_long_page(site, browser: Browser, profile):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    log_in(page, site.url, language="en", role="coordinator", office="rogaland")
    page.goto(f"{site.url}/kommunebilde/profil/{profile.pk}/lysbilder/")
    expect(page.locator("[data-slide]:visible")).to_have_count(profile.assessments.count() + 1)
    page.get_by_role("link", name="Next slide").first.click()
    expect(page).to_have_url(f"{site.url}/kommunebilde/profil/{profile.pk}/lysbilder/#slide-2")
    context.close()


def test_printed_each_slide_is_a_page(site, browser: Browser, profile):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log_in(page, site.url, language="en", role="coordinator", office="rogaland")
    page.goto(f"{site.url}/kommunebilde/profil/{profile.pk}/lysbilder/")
    page.emulate_media(media="print")
    expect(page.locator("[data-slide]:visible")).to_have_count(profile.assessments.count() + 1)
    assert page.locator("#slide-1").evaluate("e => getComputedStyle(e).breakAfter") == "page"
    context.close()
