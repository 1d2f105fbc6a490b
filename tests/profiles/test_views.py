from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kommunedialog.core.models import AuditEvent
from kommunedialog.profiles.models import Assessment, ConsultationResponse, Profile
from kommunedialog.profiles.states import State
from tests.factories import UserFactory
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return make_scenario()


def client_for(**role) -> Client:
    client = Client()
    client.force_login(UserFactory(**role))
    return client


def assessment_post(assessment: Assessment, version: int, justification: str) -> dict[str, str]:
    prefix = f"a{assessment.pk}-"
    return {f"{prefix}rating": "improvement", f"{prefix}justification": justification, f"{prefix}version": str(version)}


def test_two_people_editing_the_same_assessment(scenario):
    assessment = scenario["assessment"]
    url = f"/kommunebilde/profil/{assessment.profile_id}/vurdering/{assessment.pk}/"
    kari, ola = client_for(role="staff", office="rogaland"), client_for(role="coordinator", office="rogaland")
    # Both opened the editor at version 1.
    for client in (kari, ola):
        assert client.get(f"/kommunebilde/profil/{assessment.profile_id}/").status_code == 200
    first = kari.post(url, assessment_post(assessment, 1, "Karis grunngiving."), headers={"HX-Request": "true"})
    assert first.status_code == 200
    second = ola.post(url, assessment_post(assessment, 1, "Olas grunngiving."), headers={"HX-Request": "true"})
    assert second.status_code == 409
    html = second.content.decode()
    # Both versions are on the page, and Ola's text is still in his form.
    assert "<td>Karis grunngiving.</td>" in html
    assert "<td>Olas grunngiving.</td>" in html
    assert "Olas grunngiving.</textarea>" in html
    assert f'name="a{assessment.pk}-version" value="2"' in html
    assessment.refresh_from_db()
    assert (assessment.justification, assessment.version) == ("Karis grunngiving.", 2)
    # Ola saves again from the version he has now seen: nothing was lost on either side.
    third = ola.post(url, assessment_post(assessment, 2, "Olas grunngiving."), headers={"HX-Request": "true"})
    assert third.status_code == 200
    assessment.refresh_from_db()
    assert (assessment.justification, assessment.version) == ("Olas grunngiving.", 3)


def test_staff_of_another_office_cannot_see_or_edit_a_draft(scenario):
    assessment = scenario["assessment"]
    other = client_for(role="staff", office="vestland")
    assert other.get(f"/kommunebilde/profil/{assessment.profile_id}/").status_code == 404
    response = other.post(
        f"/kommunebilde/profil/{assessment.profile_id}/vurdering/{assessment.pk}/",
        assessment_post(assessment, 1, "Innbrot."),
    )
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert (assessment.justification, assessment.version) == ("", 1)


def test_staff_submit_for_review_from_the_editor(scenario):
    profile = scenario["draft_profile"]
    response = client_for(role="staff", office="rogaland").post(
        f"/kommunebilde/profil/{profile.pk}/handling/submit_for_review/"
    )
    assert (response.status_code, response.headers["Location"]) == (302, f"/kommunebilde/profil/{profile.pk}/")
    profile.refresh_from_db()
    assert profile.state == State.REVIEW


def test_municipality_users_see_their_own_consultation_only(scenario):
    consultation, draft = scenario["consultation_profile"], scenario["draft_profile"]
    own = client_for(role="municipality_user", municipality="1133")
    neighbour = client_for(role="municipality_user", municipality="1134")
    page = own.get(f"/kommunebilde/horing/{consultation.pk}/")
    assert page.status_code == 200
    assert "Scenario: overall picture on consultation." in page.content.decode()
    assert neighbour.get(f"/kommunebilde/horing/{consultation.pk}/").status_code == 404
    # A draft that has not been sent is not there at all, not even for the municipality itself.
    assert own.get(f"/kommunebilde/horing/{draft.pk}/").status_code == 404
    assert own.get(f"/kommunebilde/profil/{draft.pk}/").status_code == 404
    assert Client().get(f"/kommunebilde/horing/{consultation.pk}/").status_code == 302


def test_a_municipality_responds_per_domain_and_the_office_decides(scenario):
    profile = scenario["consultation_profile"]
    domain = profile.assessments.order_by("pk").first()
    own = client_for(role="municipality_user", municipality="1133")
    response = own.post(
        f"/kommunebilde/horing/{profile.pk}/",
        {"assessment": str(domain.pk), "kind": "factual_error", "text": "Talet er frå 2022."},
    )
    assert response.status_code == 302
    answer = ConsultationResponse.objects.get(text="Talet er frå 2022.")
    assert (answer.assessment_id, answer.kind, answer.submitted_at is not None) == (domain.pk, "factual_error", True)
    staff = client_for(role="staff", office="rogaland")
    staff.post(
        f"/kommunebilde/profil/{profile.pk}/svar/{answer.pk}/", {"decision": "changed", "reason": "Retta til 2024-tal."}
    )
    answer.refresh_from_db()
    assert (answer.decision, answer.decision_reason) == ("changed", "Retta til 2024-tal.")
    assert AuditEvent.objects.filter(action__in=["consultation_respond", "consultation_decide"]).count() == 2


def test_a_refused_decision_is_explained_in_the_readers_language(scenario):
    profile = scenario["consultation_profile"]
    own = client_for(role="municipality_user", municipality="1133")
    own.post(f"/kommunebilde/horing/{profile.pk}/", {"kind": "disagreement", "text": "Vi er usamde."})
    answer = ConsultationResponse.objects.get(text="Vi er usamde.")
    staff = client_for(role="staff", office="rogaland")
    page = staff.post(
        f"/kommunebilde/profil/{profile.pk}/svar/{answer.pk}/",
        {"decision": "changed", "reason": ""},
        headers={"Accept-Language": "nn"},
    )
    # Beside the reason's field, in nynorsk, with the choice made kept.
    html = page.content.decode()
    assert page.status_code == 400
    assert f'<div class="ds-validation-message" data-color="danger" id="r{answer.pk}_reason_error">' in html
    assert f'id="r{answer.pk}_reason_error">\n        Feltet er påkravd.' in html
    assert f'value="changed" id="r{answer.pk}_decision_0" checked' in html
    answer.refresh_from_db()
    assert (answer.decision, answer.decision_reason) == ("", "")


def test_responses_after_the_deadline_are_refused(scenario):
    profile = scenario["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(consultation_deadline=timezone.localdate() - dt.timedelta(days=1))
    own = client_for(role="municipality_user", municipality="1133")
    own.post(f"/kommunebilde/horing/{profile.pk}/", {"kind": "disagreement", "text": "For seint."})
    assert not ConsultationResponse.objects.filter(text="For seint.").exists()


def test_the_dashboard_lists_municipalities_by_name_with_the_response_rate(scenario):
    page = client_for(role="coordinator", office="rogaland").get(
        f"/kommunebilde/runde/{scenario['consultation_profile'].cycle_id}/"
    )
    assert page.status_code == 200
    names = [p.municipality.name_norwegian for p in page.context["profiles"]]
    assert names == sorted(names)
    assert (page.context["sent_count"], page.context["answered_count"]) == (0, 0)


def test_the_coordinator_records_the_meeting_and_agreed_follow_up(scenario):
    profile = scenario["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.CONSULTATION_CLOSED)
    coordinator = client_for(role="coordinator", office="rogaland")
    held = timezone.localdate() - dt.timedelta(days=2)
    coordinator.post(
        f"/kommunebilde/profil/{profile.pk}/handling/record_meeting/",
        {
            "held_on": held.isoformat(),
            "political": "Ordførar",
            "administrative": "Kommunedirektør",
            "notes": "Demonstrasjon.",
        },
    )
    profile.refresh_from_db()
    assert (profile.state, profile.meeting_held_on, profile.meeting_political) == (State.MEETING_HELD, held, "Ordførar")
    due = timezone.localdate() + dt.timedelta(days=60)
    coordinator.post(
        f"/kommunebilde/profil/{profile.pk}/oppfolging/",
        {
            "description": "Ny beredskapsplan",
            "owner_party": "municipality",
            "owner": "Kommunedirektøren",
            "due_on": due.isoformat(),
        },
    )
    assert list(profile.follow_up_actions.values_list("description", "owner_party", "owner", "due_on", "state")) == [
        ("Ny beredskapsplan", "municipality", "Kommunedirektøren", due, "open")
    ]
    # Staff of another office: not there.
    other = client_for(role="staff", office="vestland")
    response = other.post(
        f"/kommunebilde/profil/{profile.pk}/oppfolging/",
        {"description": "X", "owner_party": "office", "due_on": due.isoformat()},
    )
    assert response.status_code == 404
    assert profile.follow_up_actions.count() == 1


def test_a_meeting_cannot_be_recorded_in_the_future(scenario):
    profile = scenario["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.CONSULTATION_CLOSED)
    client_for(role="coordinator", office="rogaland").post(
        f"/kommunebilde/profil/{profile.pk}/handling/record_meeting/",
        {"held_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
    )
    profile.refresh_from_db()
    assert (profile.state, profile.meeting_held_on) == (State.CONSULTATION_CLOSED, None)


def test_a_response_may_carry_a_checked_attachment_only_its_parties_can_open(scenario):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = scenario["consultation_profile"]
    own = client_for(role="municipality_user", municipality="1133")
    pdf = b"%PDF-1.7\n%vedlegg\n%%EOF\n"
    own.post(
        f"/kommunebilde/horing/{profile.pk}/",
        {
            "kind": "additional_information",
            "text": "Sjå vedlegg.",
            "attachment": SimpleUploadedFile("Plan 2025.pdf", pdf),
        },
    )
    answer = ConsultationResponse.objects.get(text="Sjå vedlegg.")
    url = f"/kommunebilde/horing/{profile.pk}/vedlegg/{answer.pk}/"
    for client in (own, client_for(role="staff", office="rogaland")):
        response = client.get(url)
        assert (response.status_code, b"".join(response.streaming_content)) == (200, pdf)
        assert response.headers["Content-Disposition"] == 'attachment; filename="Plan_2025.pdf"'
    for outsider in (
        client_for(role="municipality_user", municipality="1134"),
        client_for(role="staff", office="vestland"),
    ):
        assert outsider.get(url).status_code == 404


def test_a_disguised_attachment_is_refused_and_nothing_is_saved(scenario):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = scenario["consultation_profile"]
    own = client_for(role="municipality_user", municipality="1133")
    before = ConsultationResponse.objects.count()
    response = own.post(
        f"/kommunebilde/horing/{profile.pk}/",
        {
            "kind": "disagreement",
            "text": "Med vedlegg.",
            "attachment": SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00program"),
        },
    )
    assert response.status_code == 400
    assert "er ikke en fil av en godkjent type" in response.content.decode()
    # The typed text is still in the form.
    assert "Med vedlegg.</textarea>" in response.content.decode()
    assert ConsultationResponse.objects.count() == before
