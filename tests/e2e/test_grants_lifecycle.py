"""Issue 15's "must show": a call from creation to a published report, by clicking in Chromium. The
coordinator works with JavaScript off (the key forms work without it): creates, publishes and extends a
call, closes it, decides. Two municipalities apply (one jointly); a reviewer who declared a conflict of
interest is stopped; another assesses; the letter is generated and read from its PDF; an overspend needs an
explanation, is returned, corrected and accepted; the public site shows the grant and its report.

Each person starts from their front page; from there on everything is clicked or typed. Only the
calendar is moved (the deadline passes), as a day would."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from kommunedialog.grants.models import Application, Call, Report
from kommunedialog.registry.models import Municipality
from tests.factories import UserFactory

TITLE = "Prosjektskjønn 2027: tenester på tvers"


def person(browser: Browser, base_url: str, *, js: bool = True, **role: Any) -> tuple[Page, Any]:
    """A browser of its own for one person, logged in, reading the English source texts."""
    user = UserFactory(**role)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale="nb-NO", java_script_enabled=js, accept_downloads=True)
    context.add_cookies(
        [
            {"name": cookie.key, "value": cookie.value, "url": base_url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base_url},
        ]
    )
    page = context.new_page()
    page.goto(base_url + "/skjonn/")
    return page, user


def click(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]


def create_publish_and_extend_the_call(page: Page) -> Call:
    click(page, "New call", "link")
    deadline = timezone.localdate() + dt.timedelta(days=20)
    page.locator("#id_year").fill("2027")
    page.locator("#id_title_nb").fill(TITLE)
    page.locator("#id_title_nn").fill(TITLE)
    page.locator("#id_description_nb").fill("Fornying og innovasjon i kommunane.")
    page.locator("#id_description_nn").fill("Fornying og innovasjon i kommunane.")
    page.locator("#id_frame").fill("1000000")
    page.locator("#id_deadline").fill(deadline.strftime("%d.%m.%Y"))
    page.locator("#id_min_own_share_percent").fill("10")
    page.locator("#id_min_amount").fill("100000")
    page.locator("input[name=themes][value=digitalisation]").check()
    page.locator("input[name=themes][value=cooperation]").check()
    for i, (name, weight) in enumerate([("Nytte", "60"), ("Gjennomføring", "40")]):
        page.locator(f"#id_criteria-{i}-name_nb").fill(name)
        page.locator(f"#id_criteria-{i}-name_nn").fill(name)
        page.locator(f"#id_criteria-{i}-weight").fill(weight)
    click(page, "Save the call")
    expect(page.get_by_text("The call is saved as a draft.")).to_be_visible()
    click(page, "Publish the call")
    expect(page.get_by_text("Done: Open for applications.")).to_be_visible()

    # Earlier is refused beside the field, and nothing moves; later is taken.
    page.locator("#deadline_deadline").fill((deadline - dt.timedelta(days=1)).strftime("%d.%m.%Y"))
    click(page, "Move the deadline")
    expect(page.get_by_text("The new deadline must be later than the current one")).to_be_visible()
    later = deadline + dt.timedelta(days=14)
    page.locator("#deadline_deadline").fill(later.strftime("%d.%m.%Y"))
    click(page, "Move the deadline")
    expect(page.get_by_text("The deadline is moved.")).to_be_visible()
    call = Call.objects.get(title_nb=TITLE)
    assert (call.state, call.deadline) == ("published", later)
    return call


def apply(page: Page, title: str, partner: Municipality | None = None) -> None:
    click(page, f"Apply to “{TITLE}”")
    page.locator("#id_contact_name").fill("Kari Kontakt")
    page.locator("#id_contact_email").fill("kari@example.invalid")
    click(page, "Save and continue")
    if partner:
        page.locator(f"input[name=partners][value='{partner.pk}']").check()
    click(page, "Save and continue")
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill(f"Samandrag av {title}.")
    page.locator("input[name=theme][value=digitalisation]").check()
    click(page, "Save and continue")
    page.locator("#id_challenges").fill("Lange ventetider.")
    page.locator("#id_goals").fill("Kortare ventetider.")
    click(page, "Save and continue")
    page.locator("input[name=sectors][value=health_care]").check()
    page.locator("#id_instruments").fill("Ny teknologi.")
    click(page, "Save and continue")
    page.locator("#id_lines-0-description").fill("Prosjektleiing")
    page.locator("#id_lines-0-amount").fill("500000")
    page.locator("#id_own_share").fill("100000")
    page.locator("#id_other_funding").fill("0")
    page.locator("#id_amount_applied").fill("400000")
    click(page, "Save and continue")
    page.locator("#id_period_start").fill("01.01.2027")
    page.locator("#id_period_end").fill("31.12.2027")
    click(page, "Save and continue")
    with page.expect_navigation():
        page.locator("a[href$='/steg/bekreftelse/']").first.click()
    page.locator("#id_chief_executive_name").fill("Kommunedirektør Dahl")
    page.locator("#id_confirm").check()
    click(page, "Save and continue")
    click(page, "Submit the application")
    expect(page.get_by_text("Done: Submitted.")).to_be_visible()


def open_application(page: Page, title: str) -> None:
    page.goto(page.url.split("/skjonn/")[0] + "/skjonn/")
    click(page, title, "link")


def assess(page: Page, title: str) -> None:
    open_application(page, title)
    if page.get_by_role("button", name="Start assessment", exact=True).count():
        click(page, "Start assessment")
    page.get_by_label("No, I have no conflict of interest").check()
    click(page, "Record the declaration")
    for label in ("Score for “Nytte” (0–5)", "Score for “Gjennomføring” (0–5)"):
        page.get_by_role("group", name=label).get_by_label("4", exact=True).check()
    page.get_by_label("Approve the amount applied for").check()
    page.locator("#id_text").fill("Godt grunngjeve og realistisk.")
    click(page, "Save the assessment")
    click(page, "Send the recommendation to the coordinator")
    expect(page.get_by_text("Done: Recommended.")).to_be_visible()


def decide(page: Page, call: Call, title: str) -> None:
    page.goto(page.url.split("/skjonn/")[0] + "/skjonn/")
    click(page, TITLE, "link")
    click(page, title, "link")
    click(page, "Approve", "link")
    expect(page.locator(".facts")).to_contain_text("Left of the frame")
    page.get_by_label("Approve", exact=True).check()
    page.locator("#id_amount").fill("400000")
    page.locator("#id_reasons").fill("Prosjektet svarar godt på kriteria.")
    page.locator("#id_final_report_due").fill("01.02.2028")
    click(page, "Make the decision")
    expect(page.get_by_text("The decision is made.")).to_be_visible()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.django_db(transaction=True)
def test_a_call_from_creation_to_a_published_report_by_clicking(site, browser: Browser):
    base = site.url
    coordinator, _ = person(browser, base, js=False, role="coordinator", office="rogaland")
    call = create_publish_and_extend_the_call(coordinator)

    hjelmeland, _ = person(browser, base, role="municipality_user", municipality="1133")
    sauda = Municipality.objects.current().get(number="1135")
    apply(hjelmeland, "Felles innbyggjarteneste", partner=sauda)
    suldal, _ = person(browser, base, role="municipality_user", municipality="1134")
    apply(suldal, "Digital byggesak")
    joint = Application.objects.get(title="Felles innbyggjarteneste")
    assert list(joint.partners.values_list("number", flat=True)) == ["1135"]

    # A reviewer with a conflict of interest is stopped: no scores, no recommendation.
    conflicted, _ = person(browser, base, role="staff", office="rogaland")
    open_application(conflicted, "Felles innbyggjarteneste")
    click(conflicted, "Start assessment")
    conflicted.get_by_label("Yes, I have a conflict of interest").check()
    conflicted.locator("#id_note").fill("Syster mi leiar prosjektet.")
    click(conflicted, "Record the declaration")
    expect(conflicted.get_by_role("button", name="Save the assessment")).to_have_count(0)
    expect(conflicted.locator("#step-recommend")).to_contain_text(
        "not possible yet: You have declared a conflict of interest in this application"
    )

    reviewer, reviewer_user = person(
        browser, base, role="staff", office="rogaland", first_name="Sindre", last_name="Saksbehandlar"
    )
    assess(reviewer, "Felles innbyggjarteneste")
    click(reviewer, "Checked: may be published")
    assess(reviewer, "Digital byggesak")

    # The deadline passes; the coordinator closes the call by hand and decides within the frame.
    Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    coordinator.goto(base + "/skjonn/")
    click(coordinator, TITLE, "link")
    click(coordinator, "Close for applications")
    expect(coordinator.get_by_text("Done: Closed for applications.")).to_be_visible()
    decide(coordinator, call, "Felles innbyggjarteneste")
    decide(coordinator, call, "Digital byggesak")
    call.refresh_from_db()
    assert (call.approved_total, call.frame) == (800_000, 1_000_000)

    # The municipality reads its letter: reference, case officer, the right to appeal and its deadline.
    open_application(hjelmeland, "Felles innbyggjarteneste")
    joint.refresh_from_db()
    expect(hjelmeland.locator(".facts").first).to_contain_text(joint.case_reference)
    with hjelmeland.expect_download() as download:
        hjelmeland.get_by_role("link", name="Decision letter (PDF)").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    with translation.override(joint.decision.language):
        wanted = [
            joint.case_reference,
            "SindreSaksbehandlar",
            gettext("Right to appeal"),
            gettext(
                "The appeal deadline is three weeks from the day this letter reached you (forvaltningsloven § 29)."
            ),
        ]
    assert [w for w in wanted if re.sub(r"\s+", "", w) not in text] == []

    # An overspend needs an explanation; the reviewer returns it; the municipality corrects it.
    click(hjelmeland, "The project", "link")
    click(hjelmeland, "Final report", "link")
    hjelmeland.locator("#id_what_was_done").fill("Vi har laga ei felles innbyggjarteneste.")
    hjelmeland.locator("#id_results").fill("Kortare ventetid.")
    hjelmeland.locator("#id_money_spent").fill("500000")
    hjelmeland.locator("#id_lessons_learned").fill("Start tidleg.")
    click(hjelmeland, "Save")
    expect(hjelmeland.locator("#step-submit")).to_contain_text("not possible yet: The money spent (NOK")
    expect(hjelmeland.locator("#step-submit")).to_contain_text("is more than the grant (NOK")
    expect(hjelmeland.locator("#step-submit")).to_contain_text("explain why")
    hjelmeland.locator("#id_spending_explanation").fill("Lisensane vart dyrare.")
    click(hjelmeland, "Save")
    click(hjelmeland, "Submit the report")
    expect(hjelmeland.get_by_text("Done: Submitted.")).to_be_visible()

    reviewer.goto(base + "/skjonn/")
    click(reviewer, "Final report: Felles innbyggjarteneste", "link")
    expect(reviewer.locator("#spending-flag")).to_contain_text("Lisensane vart dyrare.")
    reviewer.locator("#return_reason").fill("Sei kor mykje lisensane kosta.")
    click(reviewer, "Return for correction")
    expect(reviewer.get_by_text("Done: Returned for correction.")).to_be_visible()

    hjelmeland.goto(base + "/skjonn/")
    click(hjelmeland, "Final report: Felles innbyggjarteneste", "link")
    expect(hjelmeland.get_by_text("Sei kor mykje lisensane kosta.")).to_be_visible()
    hjelmeland.locator("#id_spending_explanation").fill("Lisensane kosta 100 000 kr meir enn venta.")
    click(hjelmeland, "Save")
    click(hjelmeland, "Submit the report")
    expect(hjelmeland.get_by_text("Done: Submitted.")).to_be_visible()

    reviewer.goto(base + "/skjonn/")
    click(reviewer, "Final report: Felles innbyggjarteneste", "link")
    click(reviewer, "Accept the report")
    click(reviewer, "Publish the report")
    expect(reviewer.get_by_text("Done: Published.")).to_be_visible()
    report = Report.objects.get(project__application=joint, kind="final")
    assert (report.state, report.money_spent) == ("published", 500_000)

    # The public site shows the grant and its report.
    public = browser.new_context(locale="nb-NO").new_page()
    public.goto(base + "/prosjektskjonn/")
    with public.expect_navigation():
        public.get_by_role("link", name="Felles innbyggjarteneste").click()
    expect(public.get_by_role("heading", level=1)).to_contain_text("Felles innbyggjarteneste")
    expect(public.locator(".public-report")).to_contain_text("Vi har laga ei felles innbyggjarteneste.")
    assert reviewer_user.pk != joint.decision.decided_by_id
