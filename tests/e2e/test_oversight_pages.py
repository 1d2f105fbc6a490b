"""The staff overview in a real browser: accessible (axe, WCAG 2.1 AA), filterable with htmx, and the
import page reports bad rows."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kommunedialog.demo.oversight import load_demo_oversight
from tests.e2e.test_public_pages import axe_violations
from tests.factories import UserFactory


@pytest.fixture
def staff_page(site, page: Page) -> Page:
    load_demo_oversight()
    client = Client()
    client.force_login(UserFactory(role="staff", office="rogaland"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site.url}])
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/intern/oversikt/rogaland/",
        "/intern/oversikt/rogaland/?domain=planning&show=attention",
        "/intern/oversikt/rogaland/kommuner/1133/",
        "/intern/oversikt/rogaland/import/",
    ],
)
def test_oversight_pages_have_no_wcag_violations(site, staff_page: Page, path: str):
    staff_page.goto(site.url + path)
    expect(staff_page.get_by_role("heading", level=1)).to_be_visible()
    violations = axe_violations(staff_page)
    assert violations == [], json.dumps(violations, indent=2)


def test_filtering_the_overview_by_domain_with_htmx(site, staff_page: Page):
    staff_page.goto(site.url + "/intern/oversikt/rogaland/")
    expect(staff_page.locator("#overview-results table")).to_have_count(7)
    staff_page.locator("#id_domain").select_option("education")
    expect(staff_page.locator("#overview-results table")).to_have_count(1)
    expect(staff_page).to_have_url(site.url + "/intern/oversikt/rogaland/?domain=education&municipality=&show=records")
    expect(staff_page.locator("#overview-results tbody th")).to_have_text(["Sauda"])
    violations = axe_violations(staff_page)
    assert violations == [], json.dumps(violations, indent=2)


def test_an_import_with_bad_rows_lists_them(site, staff_page: Page, tmp_path):
    bad = tmp_path / "tilsyn.csv"
    bad.write_text(
        "municipality;domain;authority;reference;topic;type;planned;status\n"
        "1133;fotball;statsforvalteren;2026/1;Tema;systemrevisjon;2026-03-01;åpen\n",
        encoding="utf-8",
    )
    staff_page.goto(site.url + "/intern/oversikt/rogaland/import/")
    staff_page.locator("#id_kind").select_option("supervisions")
    staff_page.locator("#id_file").set_input_files(str(bad))
    staff_page.locator("form.stack button[type=submit]").click()
    expect(staff_page.locator("table").first).to_contain_text("fotball")
    violations = axe_violations(staff_page)
    assert violations == [], json.dumps(violations, indent=2)
