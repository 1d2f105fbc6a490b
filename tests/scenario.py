"""The scenario the living gates (permission matrix, leak crawl, accessibility crawl) run in: the own
office is Statsforvalteren i Rogaland, the own municipality 1133 Hjelmeland, the other municipality
1134 Suldal (same office), the other office Statsforvalteren i Vestland. Apps' objects are added by
the builders below; policies name them in their ``kwargs``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from kommunedialog.core.policy import Scenario
from kommunedialog.core.uploads import stored_file_create
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory


def _profiles(objects: dict[str, Any]) -> None:
    from kommunedialog.profiles import services, snapshot
    from kommunedialog.profiles.models import (
        Assessment,
        ConsultationResponse,
        FollowUpAction,
        Profile,
        PublishedProfile,
    )
    from kommunedialog.profiles.states import State

    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = services.cycle_open(office=objects["own_office"], actor=coordinator, name="Scenario 2026", year=2026)
    draft = cycle.profiles.get(municipality=objects["own_municipality"])
    earlier = services.cycle_open(office=objects["own_office"], actor=coordinator, name="Scenario 2025", year=2025)
    on_consultation = earlier.profiles.get(municipality=objects["own_municipality"])
    Profile.objects.filter(pk=on_consultation.pk).update(
        state=State.CONSULTATION,
        overall_picture="Scenario: overall picture on consultation.",
        consultation_deadline=timezone.localdate() + dt.timedelta(days=21),
    )
    on_consultation.refresh_from_db()
    frozen = snapshot.freeze(on_consultation, published_at=timezone.now(), data_as_of=timezone.localdate())
    Profile.objects.filter(pk=on_consultation.pk).update(consultation_content=frozen)
    pdf_upload = SimpleUploadedFile("merknader.pdf", b"%PDF-1.7\n%scenario attachment\n%%EOF\n")
    respondent = UserFactory(role="municipality_user", municipality=objects["own_municipality"].number)
    response = ConsultationResponse.objects.create(
        profile=on_consultation,
        kind="factual_error",
        text="Scenario response.",
        submitted_at=timezone.now(),
        author=respondent,
        attachment=stored_file_create(actor=respondent, upload=pdf_upload, allowed=["pdf"]),
    )
    # A published kommunebilde for the own municipality, from an earlier cycle.
    oldest = services.cycle_open(office=objects["own_office"], actor=coordinator, name="Scenario 2024", year=2024)
    published = oldest.profiles.get(municipality=objects["own_municipality"])
    Assessment.objects.filter(profile=published).update(
        rating="good", justification="Scenario: published justification."
    )
    Profile.objects.filter(pk=published.pk).update(
        state=State.MEETING_HELD,
        overall_picture="Scenario: published overall picture.",
        meeting_held_on=dt.date(2024, 11, 1),
    )
    services.profile_publish(profile=published, actor=coordinator)
    action = FollowUpAction.objects.create(
        profile=published,
        description="Scenario: agreed action.",
        owner_party="municipality",
        due_on=dt.date(2025, 6, 1),
    )
    objects.update(
        follow_up_action=action,
        published_snapshot=PublishedProfile.objects.get(profile=published),
        cycle=cycle,
        draft_profile=draft,
        assessment=draft.assessments.order_by("pk").first(),
        consultation_profile=on_consultation,
        consultation_response=response,
    )


def _grants(objects: dict[str, Any]) -> None:
    """A published call with a draft and an application under assessment (reviewed, with a message and
    an attachment); a draft call; and a closed call with two awarded projects, one published (with a
    published interim report, a draft final report, a change request and a published attachment) and
    one the office has not checked for publication."""
    from kommunedialog.grants import services
    from kommunedialog.grants.models import Attachment
    from tests.factories import CallFactory, advance, close_call, complete_application

    coordinator = UserFactory(role="coordinator", office="rogaland")
    staff = UserFactory(role="staff", office="rogaland")
    applicant = UserFactory(role="municipality_user", municipality="1133")

    def pdf(name: str) -> SimpleUploadedFile:
        # A real (blank) PDF: the leak crawl reads public attachments' text.
        writer, buffer = PdfWriter(), io.BytesIO()
        writer.add_blank_page(width=595, height=842)
        writer.write(buffer)
        return SimpleUploadedFile(name, buffer.getvalue())

    def attach(application: Any, title: str) -> Attachment:
        return services.attachment_add(application=application, actor=applicant, upload=pdf("plan.pdf"), title=title)

    call = CallFactory(title_nb="Scenario: utlysning 2026", title_nn="Scenario: utlysing 2026")
    draft_call = CallFactory(state="draft", title_nb="Scenario: utkast", criteria=[("Nytte", 50)])
    draft = complete_application(call, applicant=applicant, title="Scenario: draft application")
    draft_attachment = attach(draft, "Scenario: draft attachment")
    assessed = complete_application(call, applicant=applicant, title="Scenario: application under assessment")
    attachment = attach(assessed, "Scenario: attachment under assessment")
    assessed = advance(assessed, "info_requested", applicant=applicant, staff=staff)
    services.application_answer_information(application=assessed, actor=applicant, answer="Scenario: answer.")
    services.review_declare(application=assessed, actor=staff, conflict=False)
    services.review_score(
        application=assessed,
        actor=staff,
        scores={c.pk: (3, "Scenario: comment.") for c in call.criteria.all()},
        recommendation="approve_reduced",
        recommended_amount=300_000,
        text="Scenario: recommendation.",
    )

    earlier = CallFactory(year=2025, title_nb="Scenario: utlysning 2025", title_nn="Scenario: utlysing 2025")
    awarded = complete_application(earlier, applicant=applicant, title="Scenario: awarded project")
    public_attachment = attach(awarded, "Scenario: public project plan")
    private_attachment = attach(awarded, "Scenario: private budget notes")
    hidden = complete_application(earlier, applicant=applicant, title="Scenario: unchecked awarded project")
    awarded = advance(awarded, "recommended", applicant=applicant, staff=staff)
    hidden = advance(hidden, "recommended", applicant=applicant, staff=staff)
    close_call(earlier)
    awarded = advance(awarded, "approved", applicant=applicant, staff=staff, coordinator=coordinator)
    hidden = advance(hidden, "approved", applicant=applicant, staff=staff, coordinator=coordinator)
    services.application_set_publication(application=awarded, actor=staff, publish=True)
    services.attachment_set_publication(attachment=public_attachment, actor=staff, publish=True)
    for project in (awarded.project, hidden.project):
        interim = project.reports.get(kind="interim")
        interim = services.report_update(
            report=interim,
            actor=applicant,
            expected_version=interim.version,
            what_was_done="Scenario: done.",
            results="Scenario: results.",
            money_spent=100_000,
            lessons_learned="Scenario: lessons.",
        )
        interim = services.report_submit(report=interim, actor=applicant)
        interim = services.report_approve(report=interim, actor=staff)
        services.report_publish(report=interim, actor=staff)
    change = services.change_request_submit(
        project=awarded.project, actor=applicant, description="Scenario: longer period, please."
    )
    objects.update(
        grant_call=call,
        grant_draft_call=draft_call,
        grant_draft_application=draft,
        grant_draft_attachment=draft_attachment,
        grant_application=assessed,
        grant_attachment=attachment,
        grant_awarded_application=awarded,
        grant_project=awarded.project,
        grant_public_attachment=public_attachment,
        grant_private_attachment=private_attachment,
        grant_report=awarded.project.reports.get(kind="final"),
        grant_change_request=change,
        grant_hidden_application=hidden,
    )


def _planning(objects: dict[str, Any]) -> None:
    """A supervision on the own office's plan for next year (issue 16)."""
    from kommunedialog.oversight.planning import planned_supervision_add

    planned = planned_supervision_add(
        office=objects["own_office"],
        municipality=objects["own_municipality"],
        domain="child_welfare",
        year=timezone.localdate().year + 1,
        reason="Scenario: reason for the planned supervision.",
        actor=UserFactory(role="staff", office="rogaland"),
    )
    objects.update(planned_supervision=planned)


def _peer_sets(objects: dict[str, Any]) -> None:
    """A comparison group of the own office and one of the own municipality."""
    from kommunedialog.profiles import peersets

    members = list(Municipality.objects.current().filter(number__in=["1133", "1134", "1130"]))
    staff = UserFactory(role="staff", office="rogaland")
    municipality_user = UserFactory(role="municipality_user", municipality="1133")
    objects.update(
        peer_set=peersets.peer_set_create(
            actor=staff, owner=objects["own_office"], name="Scenario: Ryfylke", members=members, note="Scenario: note."
        ),
        municipality_peer_set=peersets.peer_set_create(
            actor=municipality_user, owner=objects["own_municipality"], name="Scenario: our peers", members=members
        ),
    )


BUILDERS: list[Callable[[dict[str, Any]], None]] = [_profiles, _grants, _planning, _peer_sets]


def make_scenario() -> Scenario:
    objects: dict[str, Any] = {
        "own_office": Office.objects.get(code="rogaland"),
        "other_office": Office.objects.get(code="vestland"),
        "own_municipality": Municipality.objects.current().get(number="1133"),
        "other_municipality": Municipality.objects.current().get(number="1134"),
    }
    for build in BUILDERS:
        build(objects)
    return Scenario(objects)
