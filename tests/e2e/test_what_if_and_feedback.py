"""In a browser: the what-if page merges Hjelmeland and Suldal (a plain GET form), and the feedback
aside is answered with htmx and without JavaScript. axe finds nothing on either page.

Selectors avoid visible text: the reader's language here is bokmål, whose texts arrive with the
translations."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, Page, expect

from kommunedialog.publicsite.models import PageFeedback
from tests.e2e.test_public_pages import axe_violations
from tests.statistics.test_importers import OMSORG, store


def test_what_if_merges_two_neighbours_and_has_no_wcag_violations(site, page: Page):
    store(OMSORG)
    page.goto(site.url + "/statistikk/sammenslaing/")
    assert axe_violations(page) == []
    page.locator("#id_m").select_option(["1133", "1134"])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"m=1133&m=1134"))
    population = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^Folkemengde 1\. januar")))
    expect(population.locator("td").nth(1)).to_have_text(re.compile(r"^6\s620$"))
    expect(population.locator("td").nth(2)).to_have_text(re.compile(r"^2\s681$"))
    expect(population.locator("td").nth(3)).to_have_text(re.compile(r"^3\s939$"))
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    # Not neighbours: the form says why, beside the field.
    page.goto(site.url + "/statistikk/sammenslaing/?m=1133&m=0301")
    expect(page.locator("#id_m_error")).to_be_visible()
    assert axe_violations(page) == []


def test_feedback_with_htmx_swaps_in_the_thanks(site, page: Page):
    page.goto(site.url + "/kommuner/1133/")
    page.locator("#feedback-no").check()
    page.locator("#feedback-comment").fill("Tilsyn")
    page.locator("#tilbakemelding button[type=submit]").click()
    expect(page.locator("#tilbakemelding [role=status]")).to_be_visible()
    expect(page).to_have_url(site.url + "/kommuner/1133/")  # swapped in place, no reload
    assert list(PageFeedback.objects.values_list("path", "found", "comment")) == [("/kommuner/1133/", False, "Tilsyn")]
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_feedback_without_javascript_comes_back_to_the_page(site, browser: Browser):
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    page.goto(site.url + "/")
    page.locator("#feedback-yes").check()
    page.locator("#tilbakemelding button[type=submit]").click()
    expect(page).to_have_url(site.url + "/?tilbakemelding=takk#tilbakemelding")
    expect(page.locator("#tilbakemelding [role=status]")).to_be_visible()
    assert list(PageFeedback.objects.values_list("path", "found")) == [("/", True)]
    context.close()


def test_from_the_municipality_page_to_a_merger_with_a_neighbour_by_clicking(site, page: Page):
    store(OMSORG)
    page.goto(site.url + "/kommuner/1133/")
    page.locator('main a[href="/statistikk/sammenslaing/?m=1133"]').click()
    expect(page).to_have_url(site.url + "/statistikk/sammenslaing/?m=1133")
    offered = page.locator("#what-if-start ~ ul a")
    expect(offered).to_have_text(
        ["Hjelmeland + Bykle", "Hjelmeland + Sandnes", "Hjelmeland + Strand", "Hjelmeland + Suldal"]
    )
    assert axe_violations(page) == []
    offered.nth(3).click()
    expect(page).to_have_url(re.compile(r"m=1133&m=1134$"))
    population = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^Folkemengde 1\. januar")))
    expect(population.locator("td").nth(1)).to_have_text(re.compile(r"^6\s620$"))
