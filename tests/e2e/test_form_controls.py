"""Radios and checkboxes are drawn as Designsystemet's controls on real forms: a box the size of a
fingertip target beside its label, not a sliver (they once measured 8 × 24 px)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_grants import log_in
from tests.e2e.test_public_pages import axe_violations
from tests.scenario import make_scenario


@pytest.fixture
def scenario(site):  # type: ignore[no-untyped-def]
    return make_scenario()


def assert_a_proper_control(control: Locator) -> None:
    box = control.bounding_box()
    assert box is not None
    assert box["width"] >= 20, box
    assert box["height"] >= 20, box
    assert abs(box["width"] - box["height"]) < 1, box  # square (or round), not stretched
    # The label sits beside the control, on its right, and clicking it chooses the control.
    label = control.page.locator(f"label[for='{control.get_attribute('id')}']")
    label_box = label.bounding_box()
    assert label_box is not None
    assert label_box["x"] >= box["x"] + box["width"], (box, label_box)
    label.click()
    expect(control).to_be_checked()


def test_the_rating_radios_are_proper_controls(site, scenario, page: Page):
    log_in(page, site.url, language="en", role="staff", office="rogaland")
    page.goto(f"{site.url}/kommunebilde/profil/{scenario['draft_profile'].pk}/")
    radios = page.locator("input[type=radio][name$='-rating']")
    expect(radios.first).to_be_visible()
    assert_a_proper_control(radios.nth(1))


@pytest.mark.parametrize(
    ("step", "selector"),
    [
        ("sektorer", "input[type=checkbox][name=sectors]"),
        ("bekreftelse", "#id_confirm"),
        ("prosjekt", "input[name=theme]"),
    ],
    ids=["checkbox-group", "single-checkbox", "radio-group"],
)
def test_the_application_form_checkboxes_and_radios_are_proper_controls(site, scenario, page: Page, step, selector):
    log_in(page, site.url, language="en", role="municipality_user", municipality="1133")
    page.goto(site.url + f"/skjonn/soknad/{scenario['grant_draft_application'].pk}/steg/{step}/")
    control = page.locator(selector).first
    expect(control).to_be_visible()
    if control.get_attribute("type") == "checkbox" and control.is_checked():
        control.uncheck()
    assert_a_proper_control(control)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
