from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.e2e.test_public_pages import axe_violations


def test_a_reader_follows_the_catalogue_link_from_a_municipality_and_sees_unverified_codes(site, page: Page):
    page.goto(site.url + "/kommuner/1133/")
    page.get_by_role("link", name="indikatorkatalogen").click()
    expect(page).to_have_url(site.url + "/statistikk/indikatorer/")
    unverified = page.locator("section", has=page.locator("#unverified-heading"))
    expect(unverified.locator("li")).to_have_count(38)
    expect(page.get_by_role("heading", name="Frie inntekter per innbygger")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
