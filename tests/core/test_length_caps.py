"""Length caps on free text: a text over its cap is refused with a clear message beside its field,
the typed text stays in the form, and nothing is stored, whether it comes through a page (plain or
htmx), a service or a model save."""

from __future__ import annotations

import pytest
from django.test import Client

from kommunedialog.core import limits
from kommunedialog.core.models import AuditEvent, OutboxMail
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services as grants
from kommunedialog.profiles import services as profiles
from tests.factories import CallFactory, UserFactory, complete_application
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db

MESSAGE_NB = "Høyst 10000 tegn; denne teksten har 10001. Forkort den og lagre igjen."


def draft_assessment():  # type: ignore[no-untyped-def]
    profile = make_scenario()["draft_profile"]
    return profile, profile.assessments.order_by("pk").first()


def staff_client() -> Client:
    web = Client()
    web.force_login(UserFactory(role="staff", office="rogaland"))
    return web


def post_justification(web, profile, assessment, text: str, **headers: str):  # type: ignore[no-untyped-def]
    prefix = f"a{assessment.pk}"
    return web.post(
        f"/kommunebilde/profil/{profile.pk}/vurdering/{assessment.pk}/",
        {
            f"{prefix}-rating": "improvement",
            f"{prefix}-justification": text,
            f"{prefix}-version": assessment.version,
            f"{prefix}-departure_reason": "Demonstrasjon.",
        },
        headers=headers,
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_overlong_justification_is_refused_beside_its_field_and_kept(htmx: bool):
    profile, assessment = draft_assessment()
    web = staff_client()
    before = (assessment.justification, assessment.version, AuditEvent.objects.count())
    text = "Lang ventetid. " + "x" * (10_001 - len("Lang ventetid. "))
    response = post_justification(web, profile, assessment, text, **({"hx-request": "true"} if htmx else {}))
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE_NB in html
    assert text in html  # what was typed is still in the field
    assessment.refresh_from_db()
    assert (assessment.justification, assessment.version, AuditEvent.objects.count()) == before


def test_a_justification_at_its_cap_is_saved():
    profile, assessment = draft_assessment()
    response = post_justification(staff_client(), profile, assessment, "y" * 10_000)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert len(assessment.justification) == 10_000


def test_the_service_refuses_an_overlong_text_and_stores_nothing():
    _, assessment = draft_assessment()
    staff = UserFactory(role="staff", office="rogaland")
    before = (assessment.justification, assessment.version, AuditEvent.objects.count())
    with pytest.raises(Refused) as refused:
        profiles.assessment_update(
            assessment=assessment,
            actor=staff,
            expected_version=assessment.version,
            rating="improvement",
            justification="z" * 10_001,
            departure_reason="Demonstrasjon.",
        )
    assert refused.value.field == "justification"
    assert str(refused.value) == MESSAGE_NB
    assessment.refresh_from_db()
    assert (assessment.justification, assessment.version, AuditEvent.objects.count()) == before


def test_an_application_summary_over_its_cap_is_refused():
    applicant = UserFactory(role="municipality_user", municipality="1133")
    application = complete_application(CallFactory(), applicant=applicant)
    summary, events = application.summary, AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        grants.application_update(
            application=application,
            actor=applicant,
            expected_version=application.version,
            changes={"summary": "s" * 5_001},
        )
    assert refused.value.field == "summary"
    application.refresh_from_db()
    assert (application.summary, AuditEvent.objects.count()) == (summary, events)


def test_a_model_save_from_anywhere_is_refused_over_the_cap():
    profile, _ = draft_assessment()
    profile.overall_picture = "o" * 20_001
    with pytest.raises(Refused) as refused:
        profile.save()
    assert refused.value.field == "overall_picture"
    profile.refresh_from_db()
    assert profile.overall_picture == ""
    # A text without a cap of its own has the default one.
    assert limits.cap("what_was_done") == limits.DEFAULT == 20_000
    assert limits.cap("name", 300) == 300  # a declared max_length stands


def test_texts_the_system_writes_are_not_capped():
    from django.contrib.contenttypes.models import ContentType

    mail = OutboxMail.objects.create(
        purpose="test",
        object_type=ContentType.objects.get_for_model(OutboxMail),
        object_id="1",
        recipient="a@example.invalid",
        language="nb",
        subject="Brev",
        body="b" * 30_000,
    )
    assert len(OutboxMail.objects.get(pk=mail.pk).body) == 30_000
