"""The application form as services: step by step, with optimistic locking (a conflict keeps both
versions), the budget rules, partners, the chief executive's confirmation and attachments."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.refusal import Refused
from kommunedialog.core.uploads import UploadRejected
from kommunedialog.grants import services
from kommunedialog.grants.budget import Budget, FundingRules
from kommunedialog.grants.models import Attachment
from kommunedialog.registry.models import Municipality
from tests.factories import CallFactory, close_call, complete_application
from tests.grants.conftest import make_actor, snapshot

pytestmark = pytest.mark.django_db

RULES = FundingRules(frame=10_000_000, min_own_share_percent=20, min_amount=100_000)


def budget(costs, own, other, applied):
    return Budget.of(costs, own_share=own, other_funding=other, amount_applied=applied)


def test_a_budget_that_holds():
    assert budget([300_000, 200_000], 100_000, 0, 400_000).problems(RULES) == []


def test_the_financing_must_equal_the_total_cost():
    assert budget([500_000], 100_000, 0, 300_000).problems(RULES) == [
        "The financing (own share + other funding + amount applied for = NOK 400,000) "
        "must equal the total cost (NOK 500,000)"
    ]


def test_the_own_share_is_rounded_up_to_whole_kroner():
    assert budget([1_000_001], 200_000, 0, 800_001).problems(RULES) == [
        "The own share must be at least 20 % of the total cost (NOK 200,001)"
    ]
    assert budget([1_000_001], 200_001, 0, 800_000).problems(RULES) == []


def test_amount_limits():
    assert budget([100_000], 50_000, 0, 50_000).problems(RULES) == [
        "The amount applied for must be at least NOK 100,000"
    ]
    assert budget([20_000_000], 9_000_000, 0, 11_000_000).problems(RULES) == [
        "The amount applied for is larger than the call's whole frame (NOK 10,000,000)"
    ]
    assert budget([], 0, 0, 0).problems(RULES) == ["Add at least one cost line with an amount"]


@pytest.fixture
def draft(call, people):
    return complete_application(call, applicant=people["applicant"])


def test_two_people_saving_the_same_step_get_a_conflict_with_both_versions(draft, people):
    colleague = make_actor("applicant_own")
    version = draft.version
    services.application_update(
        application=draft, actor=people["applicant"], expected_version=version, changes={"goals": "Første mål."}
    )
    with pytest.raises(EditConflict) as conflict:
        services.application_update(
            application=draft, actor=colleague, expected_version=version, changes={"goals": "Andre mål."}
        )
    assert [(r["field"], r["saved"], r["submitted"]) for r in conflict.value.rows] == [
        ("goals", "Første mål.", "Andre mål.")
    ]
    draft.refresh_from_db()
    assert (draft.goals, draft.version) == ("Første mål.", version + 1)


def test_any_change_after_the_confirmation_asks_for_it_again(draft, people):
    assert draft.is_confirmed
    draft = services.application_update(
        application=draft, actor=people["applicant"], expected_version=draft.version, changes={"summary": "Ny."}
    )
    assert not draft.is_confirmed
    assert "The chief executive must confirm this version of the application" in draft.submission_problems()


def test_budget_lines_replace_the_old_ones(draft, people):
    draft = services.application_update_budget(
        application=draft,
        actor=people["applicant"],
        expected_version=draft.version,
        lines=[("Leiing", 250_000), ("Innkjøp", 250_000), ("Opplæring", 100_000)],
        own_share=150_000,
        other_funding=50_000,
        amount_applied=400_000,
    )
    assert list(draft.cost_lines.values_list("description", "amount", "position")) == [
        ("Leiing", 250_000, 1),
        ("Innkjøp", 250_000, 2),
        ("Opplæring", 100_000, 3),
    ]
    assert draft.budget().total_cost == draft.budget().financing == 600_000


def test_partners_exclude_the_lead(draft, people):
    hjelmeland = Municipality.objects.current().get(number="1133")
    before = snapshot(draft)
    with pytest.raises(Refused, match="The lead municipality cannot also be a partner"):
        services.application_set_partners(
            application=draft, actor=people["applicant"], expected_version=draft.version, partners=[hjelmeland]
        )
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    "actor_name", ["applicant_partner", "applicant_other", "staff_own", "coordinator_own", "ministry", "admin"]
)
def test_only_the_lead_municipality_edits(draft, actor_name):
    actor = make_actor(actor_name)
    before = snapshot(draft)
    with pytest.raises(PermissionDenied):
        services.application_update(
            application=draft, actor=actor, expected_version=draft.version, changes={"title": "Kapra"}
        )
    assert snapshot(draft) == before


@pytest.mark.parametrize("actor_name", ["applicant_other", "staff_own", "ministry"])
def test_only_the_municipality_itself_starts_an_application(call, actor_name):
    with pytest.raises(PermissionDenied):
        services.application_start(
            call=call, actor=make_actor(actor_name), municipality=Municipality.objects.current().get(number="1133")
        )
    assert not call.applications.exists()


def test_no_application_to_another_office_or_after_the_deadline(people):
    vestland = CallFactory(office="vestland")
    hjelmeland = Municipality.objects.current().get(number="1133")
    with pytest.raises(Refused, match=r"^The municipality lies outside the office's area$"):
        services.application_start(call=vestland, actor=people["applicant"], municipality=hjelmeland)
    closed = close_call(CallFactory())
    with pytest.raises(Refused, match=r"^The call is not open for applications$"):
        services.application_start(call=closed, actor=people["applicant"], municipality=hjelmeland)


def pdf_upload(name="plan.pdf", content=b"%PDF-1.7\n%test\n%%EOF\n"):
    return SimpleUploadedFile(name, content)


def test_attachments_are_checked_by_content(draft, people):
    with pytest.raises(UploadRejected) as wrong:
        services.attachment_add(
            application=draft, actor=people["applicant"], upload=pdf_upload("plan.pdf", b"MZ\x90\x00"), title="Plan"
        )
    with pytest.raises(UploadRejected) as empty:
        services.attachment_add(application=draft, actor=people["applicant"], upload=pdf_upload(content=b""), title="X")
    assert (wrong.value.code, empty.value.code) == ("wrong_type", "empty")
    assert not Attachment.objects.exists()
    attachment = services.attachment_add(
        application=draft, actor=people["applicant"], upload=pdf_upload(), title="Plan"
    )
    assert (attachment.title, attachment.file.kind, attachment.publish) == ("Plan", "pdf", False)


def test_attachments_are_size_capped(draft, people, settings):
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(UploadRejected) as rejected:
        services.attachment_add(application=draft, actor=people["applicant"], upload=pdf_upload(), title="Plan")
    assert rejected.value.code == "too_large"
    assert not Attachment.objects.exists()


def test_the_office_flags_attachments_for_publication(application_in, people):
    application = application_in("draft")
    attachment = services.attachment_add(
        application=application, actor=people["applicant"], upload=pdf_upload(), title="Plan"
    )
    with pytest.raises(PermissionDenied):
        services.attachment_set_publication(attachment=attachment, actor=people["applicant"], publish=True)
    attachment = services.attachment_set_publication(attachment=attachment, actor=people["staff"], publish=True)
    assert attachment.publish is True


def test_the_office_flags_title_and_summary_only_after_submission(application_in, people):
    draft = application_in("draft")
    with pytest.raises(Refused):
        services.application_set_publication(application=draft, actor=people["staff"], publish=True)
    submitted = application_in("submitted")
    with pytest.raises(PermissionDenied):
        services.application_set_publication(application=submitted, actor=people["applicant"], publish=True)
    assert services.application_set_publication(application=submitted, actor=people["staff"], publish=True).publish


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("964979188", "This is not a valid organisation number: the check digit does not match"),
        ("96497918", "An organisation number is nine digits."),
    ],
)
def test_the_organisation_number_needs_a_valid_check_digit(draft, people, number, message):
    before = snapshot(draft)
    with pytest.raises(Refused, match=f"^{re.escape(message)}"):
        services.application_update(
            application=draft,
            actor=people["applicant"],
            expected_version=draft.version,
            changes={"organisation_number": number},
        )
    assert snapshot(draft) == before


def test_the_applicant_form_checks_the_organisation_number_and_accepts_spaces():
    from kommunedialog.grants.forms import ApplicantForm

    fields = {"contact_name": "Kontakt Person", "contact_email": "kontakt@example.invalid", "version": 1}
    wrong = ApplicantForm({**fields, "organisation_number": "964979188"})
    assert not wrong.is_valid()
    assert wrong.errors["organisation_number"] == [
        "This is not a valid organisation number: the check digit does not match. Check it in Brønnøysundregistrene."
    ]
    spaced = ApplicantForm({**fields, "organisation_number": "964 979 189"})
    assert spaced.is_valid(), spaced.errors
    assert spaced.cleaned_data["organisation_number"] == "964979189"
