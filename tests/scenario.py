"""The scenario the living gates (permission matrix, leak crawl, accessibility crawl) run in: the own
office is Statsforvalteren i Rogaland, the own municipality 1133 Hjelmeland, the other municipality
1134 Suldal (same office), the other office Statsforvalteren i Vestland. Apps' objects are added by
the builders below; policies name them in their ``kwargs``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kommunedialog.core.policy import Scenario
from kommunedialog.core.uploads import stored_file_create
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory


def _profiles(objects: dict[str, Any]) -> None:
    from kommunedialog.profiles import services, snapshot
    from kommunedialog.profiles.models import Assessment, ConsultationResponse, Profile, PublishedProfile
    from kommunedialog.profiles.workflow import State

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
    response = ConsultationResponse.objects.create(
        profile=on_consultation,
        kind="factual_error",
        text="Scenario response.",
        submitted_at=timezone.now(),
        attachment=stored_file_create(actor=None, upload=pdf_upload, allowed=["pdf"]),
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
    objects.update(
        published_snapshot=PublishedProfile.objects.get(profile=published),
        cycle=cycle,
        draft_profile=draft,
        assessment=draft.assessments.order_by("pk").first(),
        consultation_profile=on_consultation,
        consultation_response=response,
    )


BUILDERS: list[Callable[[dict[str, Any]], None]] = [_profiles]


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
