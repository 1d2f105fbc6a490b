"""A whole kommunebilde cycle in a real browser, by clicking only, each person starting from their own
page: the coordinator opens the cycle, a staff member rates every domain, the coordinator (another
person: four eyes) passes the quality check and sends it on consultation, the municipality responds with
an attachment, the coordinator closes the consultation, decides the response, records the meeting with
two agreed actions and publishes; the public page shows it; the municipality sees the decision and marks
its action done; the next cycle's publication supersedes it and the archived page says which one
replaced it. The next cycle's response and meeting are taken with JavaScript off."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kommunedialog.profiles.models import FollowUpAction, Profile, PublishedProfile
from kommunedialog.profiles.states import State
from tests.e2e.test_grants import log_in
from tests.e2e.test_public_pages import axe_violations

MUNICIPALITY = "Hjelmeland"
LANGUAGES = ("nb", "nn", "en")
CHAPTERS_KEPT = 2  # every domain of the cycle is rated; two keep the run short on a shared machine


class Person:
    """One person's browser (JavaScript on or off), and the pages they visited, for the axe sweep."""

    def __init__(self, browser: Browser, base_url: str, *, javascript: bool = True, **role: str) -> None:
        self.context: BrowserContext = browser.new_context(java_script_enabled=javascript, locale="en-GB")
        self.page: Page = self.context.new_page()
        self.base_url = base_url
        log_in(self.page, base_url, language="en", **role)
        self.visited: list[str] = []
        self.swept: set[str] = set()
        self.checked: list[str] = []
        self.page.on("load", lambda p: self.visited.append(p.url))

    def sweep(self) -> list[str]:
        """axe on every page this person has visited and not yet checked, in nb, nn and en (JavaScript
        on only: axe runs in the page). Pages the person may no longer see (a consultation page after
        publication) are skipped; the journey checks them while they are open."""
        failures = []
        page = self.context.new_page()
        paths = {url.split("#")[0] for url in self.visited} - self.swept
        for url in sorted(paths):
            for language in LANGUAGES:
                self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])
                response = page.goto(url)
                if response is None or response.status == 404:
                    continue
                assert response.status == 200, (url, response.status)
                violations = axe_violations(page)
                self.checked.append(f"{url.split('/', 3)[3]} {language}")
                if violations:
                    failures.append(f"{url} ({language}): {json.dumps(violations)}")
            self.swept.add(url)
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": self.base_url}])
        page.close()
        return failures

    def home(self) -> Page:
        self.page.goto(self.base_url + "/konto/meg/")
        return self.page


def open_cycle(coordinator: Person, name: str) -> None:
    page = coordinator.home()
    page.get_by_role("link", name="Kommunebilder").click()
    page.get_by_label("Name", exact=True).fill(name)
    chapters = page.locator("fieldset.chapter")
    for i in range(CHAPTERS_KEPT, chapters.count()):
        include = chapters.nth(i).get_by_label("Include this chapter")
        if include.is_checked():
            include.uncheck()
    page.get_by_role("button", name="Open cycle").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def to_profile(person: Person, cycle: str) -> Page:
    page = person.home()
    page.get_by_role("link", name="Kommunebilder").click()
    page.get_by_role("link", name=f"Statsforvalteren i Rogaland: {cycle}").click()
    page.get_by_role("link", name=MUNICIPALITY, exact=True).click()
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    return page


def rate_every_domain(staff: Person, cycle: str) -> Page:
    page = to_profile(staff, cycle)
    # Not possible yet, and why: shown, never hidden.
    expect(page.locator("#step-submit_for_review")).to_be_visible()
    page.get_by_role("textbox", name="Overall picture").fill(f"Demonstrasjon: hovudbiletet i {cycle}.")
    page.get_by_role("button", name="Save overall picture").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    # One domain at a time: the side list of every domain leads to each in turn.
    domains = page.locator("#domain-list a")
    for i in range(domains.count()):
        page.locator("#domain-list a").nth(i).click()
        expect(page.locator("#domain-list a").nth(i)).to_have_attribute("aria-current", "true")
        section = page.locator("section.assessment")
        title = section.locator("h3").inner_text()
        section.get_by_label("Good competence, capacity and quality").check()
        section.get_by_label("Justification").fill(f"Demonstrasjon: grunngiving for {title}.")
        section.get_by_role("button", name=f"Save {title}").click()
        expect(page.locator("section.assessment").get_by_role("status")).to_have_text("Saved.")
        expect(page.locator("#domain-list li").nth(i)).to_contain_text("Justification written")
    page.get_by_role("button", name="Send to quality check").click()
    expect(page.get_by_text("Done: Internal quality check.")).to_be_visible()
    # The staff member wrote every assessment: the quality check is someone else's.
    expect(page.locator("#step-send_on_consultation")).to_contain_text("Only the coordinator can do this")
    return page


def send_on_consultation(coordinator: Person, cycle: str) -> None:
    page = to_profile(coordinator, cycle)
    step = page.locator("#step-send_on_consultation")
    step.get_by_label("Consultation deadline").fill(f"{timezone.localdate() + dt.timedelta(days=21):%d.%m.%Y}")
    step.get_by_role("button", name="Send on consultation").click()
    expect(page.get_by_text("Done: On consultation.")).to_be_visible()


def respond(municipality: Person, cycle: str, text: str, attachment: Path) -> None:
    page = municipality.home()
    page.get_by_role("link", name=f"{MUNICIPALITY} – {cycle}").click()
    page.get_by_label("About").select_option(index=1)
    page.get_by_label("Factual error").check()
    page.get_by_label("Your response").fill(text)
    page.get_by_label("Attachment (optional)").set_input_files(str(attachment))
    page.get_by_role("button", name="Submit response").click()
    expect(page.get_by_text("Your response is submitted. Thank you.")).to_be_visible()
    expect(page.get_by_role("link", name=attachment.name)).to_be_visible()


def close_decide_meet_publish(coordinator: Person, cycle: str, held: dt.date, actions: list[tuple[str, str]]) -> None:
    page = to_profile(coordinator, cycle)
    page.locator("#step-close_consultation").get_by_role("button", name="Close consultation").click()
    expect(page.get_by_text("Done: Consultation closed.")).to_be_visible()
    # Publishing waits for the meeting; the meeting is one form.
    for card in page.locator("article[id^=response-]").all():
        card.get_by_label("Changed", exact=True).check()
        card.get_by_label("Reason").fill("Vi har retta talet i teksten.")
        card.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("The decision is recorded.")).to_be_visible()
    step = page.locator("#step-record_meeting")
    step.get_by_label("Date of the meeting").fill(f"{held:%d.%m.%Y}")
    step.get_by_label("Political participants").fill("Ordførar Ola Nordmann")
    step.get_by_label("Administrative participants").fill("Kommunedirektør Kari Nordmann")
    step.get_by_label("Notes from the meeting").fill("Demonstrasjon: vi drøfta barnevern og beredskap.")
    due = timezone.localdate() + dt.timedelta(days=90)
    for n, (description, owner) in enumerate(actions, start=1):
        step.get_by_label(f"Agreed action {n}", exact=True).fill(description)
        step.get_by_label(f"Owner of action {n}").select_option(owner)
        step.get_by_label(f"Due date of action {n}").fill(f"{due:%d.%m.%Y}")
    step.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Done: Meeting held.")).to_be_visible()
    for description, _owner in actions:
        expect(page.get_by_role("region", name="Dialogue meeting")).to_contain_text(description)
    page.locator("#step-publish").get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Done: Published.")).to_be_visible()


@pytest.fixture
def attachment(tmp_path: Path) -> Path:
    path = tmp_path / "merknader.pdf"
    path.write_bytes(b"%PDF-1.7\n%demonstration attachment\n%%EOF\n")
    return path


def test_a_whole_cycle_by_clicking_from_opening_to_supersession(site, browser: Browser, attachment):
    coordinator = Person(browser, site.url, role="coordinator", office="rogaland")
    staff = Person(browser, site.url, role="staff", office="rogaland")
    municipality = Person(browser, site.url, role="municipality_user", municipality="1133")
    held = timezone.localdate() - dt.timedelta(days=1)

    open_cycle(coordinator, "Kommunebilde 2026")
    rate_every_domain(staff, "Kommunebilde 2026")
    send_on_consultation(coordinator, "Kommunebilde 2026")
    respond(municipality, "Kommunebilde 2026", "Talet på tilsette er feil.", attachment)
    inaccessible = municipality.sweep()
    close_decide_meet_publish(
        coordinator,
        "Kommunebilde 2026",
        held,
        [("Oppdatere beredskapsplanen", "municipality"), ("Veiledning om internkontroll", "office")],
    )
    first = Profile.objects.get(cycle__name="Kommunebilde 2026", municipality__number="1133")
    assert first.state == State.PUBLISHED
    inaccessible += coordinator.sweep() + staff.sweep()

    # The public page shows it.
    page = municipality.home()
    page.get_by_role("link", name=MUNICIPALITY, exact=True).click()
    kommunebilde = page.get_by_role("region", name="Kommunebilde", exact=True)
    expect(kommunebilde).to_contain_text("Demonstrasjon: hovudbiletet i Kommunebilde 2026.")

    # The municipality sees the decision and marks its own action done; the office's it cannot.
    page = municipality.home()
    page.get_by_role("link", name="Our kommunebilder").click()
    entry = page.locator(f"#profile-{first.pk}")
    expect(entry).to_contain_text("Vi har retta talet i teksten.")
    expect(entry.get_by_role("link", name="Attachment: merknader.pdf")).to_be_visible()
    own = entry.locator(".follow-up", has_text="Oppdatere beredskapsplanen")
    own.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("“Oppdatere beredskapsplanen”: Done.")).to_be_visible()
    office_action = page.locator(".follow-up", has_text="Veiledning om internkontroll")
    expect(office_action).to_contain_text("This action is the County Governor's to update")
    assert dict(FollowUpAction.objects.filter(profile=first).values_list("description", "state")) == {
        "Oppdatere beredskapsplanen": "done",
        "Veiledning om internkontroll": "open",
    }

    # The next cycle: the response and the meeting with JavaScript off.
    municipality_plain = Person(browser, site.url, javascript=False, role="municipality_user", municipality="1133")
    coordinator_plain = Person(browser, site.url, javascript=False, role="coordinator", office="rogaland")
    open_cycle(coordinator, "Kommunebilde 2027")
    page = rate_every_domain(staff, "Kommunebilde 2027")
    # The open action from the earlier kommunebilde is in the new profile.
    expect(page.get_by_role("region", name="Open actions from earlier kommunebilder")).to_contain_text(
        "Veiledning om internkontroll"
    )
    send_on_consultation(coordinator, "Kommunebilde 2027")
    respond(municipality_plain, "Kommunebilde 2027", "Vi har fått ny barnevernsleiar.", attachment)
    close_decide_meet_publish(coordinator_plain, "Kommunebilde 2027", held, [("Ny plan", "municipality")])
    second = PublishedProfile.objects.get(profile__cycle__name="Kommunebilde 2027", municipality__number="1133")
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED

    # The archived page says which one replaced it, with a link and the date.
    page = municipality.home()
    page.get_by_role("link", name=MUNICIPALITY, exact=True).click()
    page.get_by_role("link", name="Kommunebilde 2026").click()
    notice = page.locator("#superseded")
    expect(notice).to_contain_text(f"{second.published_at:%B %Y}")
    notice.get_by_role("link", name="Kommunebilde 2027").click()
    expect(page.get_by_role("heading", name=f"Kommunebilde for {MUNICIPALITY}")).to_be_visible()
    expect(page.locator("#superseded")).to_have_count(0)

    # axe finds nothing on any page of the journey, in nb, nn and en.
    inaccessible += coordinator.sweep() + staff.sweep() + municipality.sweep()
    for person in (coordinator, staff, municipality, municipality_plain, coordinator_plain):
        person.context.close()
    assert inaccessible == [], "\n".join(inaccessible)
    checked = {c for p in (coordinator, staff, municipality) for c in p.checked}
    # Among them the pages of every step, each in the three languages.
    for path in ("konto/meg/", "kommunebilde/var-kommune/", "kommuner/1133/"):
        assert {f"{path} {language}" for language in LANGUAGES} <= checked, path
    assert {f"kommunebilde/horing/{first.pk}/ {language}" for language in LANGUAGES} <= checked
    assert len(checked) >= 30
