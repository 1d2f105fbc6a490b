"""The pages: the municipality fills in and submits the multi-step form, the office assesses beside
the kommunebilde and decides, the letter comes as PDF in the municipality's målform."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from kommunedialog.grants.models import Application, Attachment, Theme
from kommunedialog.registry.models import Municipality
from tests.factories import UserFactory, close_call
from tests.grants.conftest import snapshot

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def step_url(application, step):
    return f"/skjonn/soknad/{application.pk}/steg/{step}/"


def test_the_multi_step_form_saves_each_step_and_submits(call, people):
    web = client_for(people["applicant"])
    started = web.post(f"/skjonn/utlysning/{call.pk}/ny-soknad/")
    application = Application.objects.get()
    assert started.headers["Location"] == step_url(application, "soker")
    steps = [
        (
            "soker",
            {
                "contact_name": "Kari Kontakt",
                "contact_email": "kari@example.invalid",
                "organisation_number": "964979189",
            },
        ),
        ("samarbeid", {"partners": [str(Municipality.objects.current().get(number="1135").pk)]}),
        ("prosjekt", {"title": "Felles innbyggjarteneste", "summary": "Kort samandrag.", "theme": "digitalisation"}),
        ("utfordringer", {"challenges": "Lange ventetider.", "goals": "Kortare ventetider."}),
        ("sektorer", {"sectors": ["health_care", "social_services"], "instruments": "Ny teknologi."}),
        (
            "budsjett",
            {
                "lines-TOTAL_FORMS": "3",
                "lines-INITIAL_FORMS": "0",
                "lines-0-description": "Prosjektleiing",
                "lines-0-amount": "300000",
                "lines-1-description": "Utvikling",
                "lines-1-amount": "200000",
                "lines-2-description": "",
                "lines-2-amount": "",
                "own_share": "100000",
                "other_funding": "0",
                "amount_applied": "400000",
            },
        ),
        ("periode", {"period_start": "2026-01-01", "period_end": "2026-12-31"}),
        ("bekreftelse", {"chief_executive_name": "Kommunedirektør Dahl", "confirm": "on"}),
    ]
    for i, (step, data) in enumerate(steps):
        application.refresh_from_db()
        form_page = web.get(step_url(application, step))
        assert form_page.status_code == 200
        # The step's form asks for exactly what the step saves.
        assert {name for name in data if not name.startswith("lines-")} <= {
            name for name in re.findall(r'name="([^"]+)"', form_page.content.decode())
        }
        response = web.post(step_url(application, step), {**data, "version": application.version})
        following = steps[i + 1][0] if i + 1 < len(steps) else "send"
        if step == "periode":
            following = "vedlegg"
        assert (response.status_code, response.headers.get("Location")) == (302, step_url(application, following)), (
            step,
            response.content.decode()[:2000],
        )
    application.refresh_from_db()
    assert application.submission_problems() == []
    page = web.get(step_url(application, "send")).content.decode()
    assert "Submit the application" in page
    assert web.post(f"/skjonn/soknad/{application.pk}/handling/submit/").status_code == 302
    application.refresh_from_db()
    assert (application.state, application.organisation_number, application.budget().total_cost) == (
        "submitted",
        "964979189",
        500_000,
    )
    assert list(application.partners.values_list("number", flat=True)) == ["1135"]


def test_an_invalid_step_is_shown_again_with_its_errors_and_nothing_saved(call, people, application_in):
    application = application_in("draft")
    before = snapshot(application)
    response = client_for(people["applicant"]).post(
        step_url(application, "periode"),
        {"period_start": "2026-12-31", "period_end": "2026-01-01", "version": application.version},
    )
    assert response.status_code == 400
    assert "The project cannot end before it starts." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert snapshot(application) == before


def test_a_stale_step_shows_both_versions_and_keeps_the_typed_text(people, application_in):
    application = application_in("draft")
    web = client_for(people["applicant"])
    old = application.version
    web.post(step_url(application, "utfordringer"), {"challenges": "Lagra først.", "goals": "Mål.", "version": old})
    response = web.post(
        step_url(application, "utfordringer"), {"challenges": "Skrive samtidig.", "goals": "Mål.", "version": old}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Lagra først." in page
    assert "Skrive samtidig." in page
    application.refresh_from_db()
    assert application.challenges == "Lagra først."


def test_a_refusal_reaches_a_nynorsk_user_in_nynorsk(people, application_in):
    application = application_in("submitted")
    before = snapshot(application)
    web = Client(headers={"Accept-Language": "nn"})
    web.force_login(people["applicant"])
    response = web.post(
        step_url(application, "utfordringer"),
        {"challenges": "For seint.", "goals": "Mål.", "version": application.version},
    )
    # The reason stands above the form, which keeps what was typed.
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<div class="ds-alert" data-color="danger" role="alert">Ein søknad som er «Sendt inn», kan ikkje endrast</div>'
        in page
    )
    assert "For seint." in page
    assert snapshot(application) == before


def test_the_budget_check_answers_htmx_without_saving(people, application_in):
    application = application_in("draft")
    before = snapshot(application)
    response = client_for(people["applicant"]).post(
        f"/skjonn/soknad/{application.pk}/budsjettsjekk/",
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Alt",
            "lines-0-amount": "500000",
            "own_share": "50000",
            "other_funding": "0",
            "amount_applied": "450000",
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="budget-totals"')
    assert "The own share must be at least 20 % of the total cost (NOK 100,000)" in page
    assert snapshot(application) == before


def test_attachments_upload_and_download_for_the_parties_only(people, application_in):
    application = application_in("draft")
    web = client_for(people["applicant"])
    refused = web.post(
        f"/skjonn/soknad/{application.pk}/vedlegg/",
        {"title": "Plan", "file": SimpleUploadedFile("plan.pdf", b"not a pdf")},
    )
    assert refused.status_code == 400
    assert not Attachment.objects.exists()
    web.post(
        f"/skjonn/soknad/{application.pk}/vedlegg/",
        {"title": "Plan", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n%x\n%%EOF\n")},
    )
    attachment = Attachment.objects.get()
    url = f"/skjonn/soknad/{application.pk}/vedlegg/{attachment.pk}/"
    assert web.get(url).status_code == 200
    # The office sees applications only once they are submitted; other municipalities never.
    assert client_for(people["staff"]).get(url).status_code == 404
    assert client_for(UserFactory(role="municipality_user", municipality="1134")).get(url).status_code == 404
    partner = client_for(UserFactory(role="municipality_user", municipality="1135")).get(url)
    assert partner.status_code == 200
    assert partner.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_office_assesses_and_the_coordinator_decides_through_the_pages(people, application_in):
    application = application_in("submitted")
    staff, coordinator = client_for(people["staff"]), client_for(people["coordinator"])
    staff.post(f"/skjonn/soknad/{application.pk}/handling/start_assessment/")
    staff.post(f"/skjonn/soknad/{application.pk}/habilitet/", {"conflict": "no"})
    criteria = list(application.call.criteria.all())
    scores = {f"score_{c.pk}": "4" for c in criteria} | {f"comment_{c.pk}": "Bra." for c in criteria}
    staff.post(
        f"/skjonn/soknad/{application.pk}/vurdering/",
        {**scores, "recommendation": "approve_reduced", "recommended_amount": "300000", "text": "Tilrår lågare sum."},
    )
    staff.post(f"/skjonn/soknad/{application.pk}/handling/recommend/")
    application.refresh_from_db()
    assert application.state == "recommended"
    close_call(application.call)
    page = coordinator.get(f"/skjonn/soknad/{application.pk}/vedtak/").content.decode()
    assert 'value="300000"' in page  # the recommended amount is proposed
    response = coordinator.post(
        f"/skjonn/soknad/{application.pk}/vedtak/",
        {
            "outcome": "approve",
            "amount": "300000",
            "reasons": "Godt prosjekt; lågare sum etter tilrådinga.",
            "final_report_due": "2027-02-01",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.project.amount_awarded) == ("approved", 300_000)


def test_the_staff_see_the_published_kommunebilde_and_earlier_grants_beside_the_application():
    from tests.scenario import make_scenario

    scenario = make_scenario()
    staff = client_for(UserFactory(role="staff", office="rogaland"))
    page = staff.get(f"/skjonn/soknad/{scenario['grant_application'].pk}/").content.decode()
    assert "Scenario: published overall picture." in page
    assert "Scenario: awarded project" in page  # an earlier grant of the same municipality
    # The municipality itself does not see the assessment panel.
    own = client_for(UserFactory(role="municipality_user", municipality="1133"))
    assert (
        "Scenario: recommendation."
        not in own.get(f"/skjonn/soknad/{scenario['grant_application'].pk}/").content.decode()
    )


def test_the_decision_letter_is_a_tagged_pdf_in_the_municipalitys_language(people, application_in):
    application = application_in("approved")
    response = client_for(people["applicant"]).get(f"/skjonn/soknad/{application.pk}/vedtaksbrev.pdf")
    body = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    root = reader.trailer["/Root"]
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/pdf")
    assert root["/Lang"] == "nn"  # Hjelmeland writes nynorsk
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert "400" in text
    assert "Godt prosjekt." in text
    assert "Hjelmeland" in text
    assert "1. februar 2027" in text  # the final report's due date, in nynorsk


def test_the_ministry_sees_totals_and_exports_csv(people, application_in):
    application_in("approved")
    ministry = client_for(UserFactory(role="ministry"))
    page = ministry.get("/skjonn/departementet/").content.decode()
    assert "Statsforvalteren i Rogaland" in page
    export = ministry.get("/skjonn/departementet/oversikt.csv").content.decode("utf-8-sig").splitlines()
    assert export[1].split(",") == [
        "Statsforvalteren i Rogaland",
        "2026",
        str(Theme.DIGITALISATION.label),
        "1",
        "1",
        "400000",
        "400000",
    ]
    assert client_for(people["coordinator"]).get("/skjonn/departementet/").status_code == 404


def test_the_portal_shows_each_role_its_work(people, application_in):
    application_in("submitted")
    assert "Felles digital innbyggjarteneste" in client_for(people["applicant"]).get("/skjonn/").content.decode()
    assert "Felles digital innbyggjarteneste" in client_for(people["staff"]).get("/skjonn/").content.decode()
    other = client_for(UserFactory(role="municipality_user", municipality="1134")).get("/skjonn/").content.decode()
    assert "Felles digital innbyggjarteneste" not in other
    assert "/skjonn/" in client_for(people["staff"]).get("/").content.decode()  # in the menu
    assert 'href="/skjonn/"' not in Client().get("/").content.decode()


def test_report_reminder_dates_show_as_overdue(people, application_in):
    application = application_in("approved")
    report = application.project.reports.get(kind="interim")
    assert report.due_on == dt.date(2026, 6, 1)
    page = client_for(people["applicant"]).get("/skjonn/").content.decode()
    assert "overdue" in page
