"""The leadership meeting, recorded by the coordinator from the profile page in a real browser: starting on
"My page", through links only, with JavaScript on and with it off."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kommunedialog.core.models import AuditEvent
from kommunedialog.profiles.models import Profile
from kommunedialog.profiles.states import State
from tests.e2e.test_grants import log_in
from tests.e2e.test_public_pages import axe_violations
from tests.scenario import make_scenario


@pytest.fixture
def closed_consultation(site):  # type: ignore[no-untyped-def]
    profile = make_scenario()["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.CONSULTATION_CLOSED)
    return profile


def record_the_meeting(page: Page, base_url: str, profile: Profile, held: dt.date) -> None:
    page.goto(base_url + "/konto/meg/")
    page.get_by_role("link", name="Kommunebilder").click()
    page.get_by_role("link", name=f"{profile.cycle.office.name}: {profile.cycle.name}").click()
    page.get_by_role("link", name=profile.municipality.name, exact=True).click()
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    # A step someone else takes, or that is not possible yet, is shown with its reason, never hidden.
    expect(page.locator("#step-reopen_consultation")).to_be_visible()
    step = page.locator("#step-record_meeting")
    step.get_by_label("Date of the meeting").fill(held.strftime("%d.%m.%Y"))
    step.get_by_label("Political participants").fill("Ordførar Ola Nordmann")
    step.get_by_label("Administrative participants").fill("Kommunedirektør Kari Nordmann")
    step.get_by_label("Notes").fill("Demonstrasjon: vi drøfta barnevern og beredskap.")
    step.get_by_role("button", name="Record the meeting").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_coordinator_records_the_meeting_from_the_profile_page(
    site, browser: Browser, closed_consultation, javascript
):
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    page = context.new_page()
    log_in(page, site.url, language="en", role="coordinator", office="rogaland")
    held = timezone.localdate() - dt.timedelta(days=3)
    record_the_meeting(page, site.url, closed_consultation, held)
    expect(page.get_by_text("Done: Meeting held.")).to_be_visible()
    meeting = page.get_by_role("region", name="Dialogue meeting")
    expect(meeting).to_contain_text(f"{held:%B %Y}")
    expect(meeting).to_contain_text("Ordførar Ola Nordmann")
    closed_consultation.refresh_from_db()
    assert (
        closed_consultation.state,
        closed_consultation.meeting_held_on,
        closed_consultation.meeting_political,
        closed_consultation.meeting_administrative,
    ) == (State.MEETING_HELD, held, "Ordførar Ola Nordmann", "Kommunedirektør Kari Nordmann")
    assert (
        AuditEvent.objects.filter(action="profile_record_meeting", object_id=str(closed_consultation.pk)).count() == 1
    )
    violations = axe_violations(page) if javascript else []
    assert violations == [], json.dumps(violations, indent=2)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_meeting_in_the_future_is_refused_beside_its_date_and_nothing_typed_is_lost(
    site, browser: Browser, closed_consultation, javascript
):
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    page = context.new_page()
    log_in(page, site.url, language="en", role="coordinator", office="rogaland")
    record_the_meeting(page, site.url, closed_consultation, timezone.localdate() + dt.timedelta(days=7))
    step = page.locator("#step-record_meeting")
    expect(step.locator("#record_meeting_held_on_error")).to_have_text(
        "The meeting cannot be recorded before it is held"
    )
    expect(step.get_by_label("Political participants")).to_have_value("Ordførar Ola Nordmann")
    expect(step.get_by_label("Notes")).to_have_value("Demonstrasjon: vi drøfta barnevern og beredskap.")
    closed_consultation.refresh_from_db()
    assert (closed_consultation.state, closed_consultation.meeting_held_on) == (State.CONSULTATION_CLOSED, None)
    context.close()
