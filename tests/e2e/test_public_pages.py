from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WCAG_TAGS


def axe_violations(page: Page) -> list[dict[str, object]]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(
    "path", ["/", "/kommuner/1133/", "/sok/?q=3029", "/tilgjengelighetserklaering/", "/konto/logg-inn/"]
)
def test_pages_have_no_wcag_violations(site, page: Page, path: str):
    page.goto(site.url + path)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_front_page_leads_to_a_municipality(site, page: Page):
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommuner og statsforvaltere")
    page.get_by_role("link", name="Hjelmeland").click()
    expect(page).to_have_url(site.url + "/kommuner/1133/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjelmeland")


def test_live_search_with_htmx_finds_a_former_number(site, page: Page):
    page.goto(site.url + "/")
    page.get_by_label("Søk etter en kommune").fill("3029")
    result = page.locator("#search-results")
    expect(result.get_by_role("link", name="3222 Lørenskog")).to_be_visible()


def test_language_switch_to_nynorsk(site, page: Page):
    page.goto(site.url + "/kommuner/1133/")
    page.get_by_label("Språk").select_option("nn")
    page.get_by_role("button", name="Bytt").click()
    expect(page.get_by_role("heading", name="Fakta")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_text("Innbyggjarar", exact=True)).to_be_visible()
