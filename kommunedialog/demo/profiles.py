"""Demonstration kommunebilder for Statsforvalteren i Rogaland (load_demo). Every text says it is
demonstration text; the ratings are invented and say nothing about the real municipalities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kommunedialog.core.actors import Person
from kommunedialog.profiles import services
from kommunedialog.profiles.models import Cycle, Owner, Profile, Rating
from kommunedialog.registry.models import Office

CYCLE_NAME = "Kommunebilde 2024 (demonstrasjon)"
PUBLISHED = ["1133", "1134", "1130", "1127"]  # Hjelmeland, Suldal, Strand, Randaberg
ON_CONSULTATION = "1135"  # Sauda
# Invented ratings, rotated so that the demo shows every category; they rank nothing.
PATTERN = [Rating.GOOD, Rating.IMPROVEMENT, Rating.GOOD, Rating.VULNERABLE, Rating.GOOD, Rating.NOT_ASSESSED]


def _fill(profile: Profile, actor: Person, offset: int) -> None:
    name = profile.municipality.name_norwegian
    services.profile_update_texts(
        profile=profile,
        actor=actor,
        expected_version=profile.version,
        overall_picture=f"Demonstrasjonstekst: hovedbildet for {name}. Teksten er laget for å vise løsningen og beskriver ikke kommunen.",
        dialogue_topics="Demonstrasjonstekst: rekruttering, beredskap og kommuneøkonomi.",
    )
    for i, assessment in enumerate(
        profile.assessments.select_related("cycle_domain").order_by("cycle_domain__position")
    ):
        rating = PATTERN[(i + offset) % len(PATTERN)]
        departs = services.signal_for_assessment(assessment).departs(rating)
        services.assessment_update(
            assessment=assessment,
            actor=actor,
            expected_version=assessment.version,
            rating=rating,
            justification=""
            if rating == Rating.NOT_ASSESSED
            else f"Demonstrasjonstekst om {assessment.cycle_domain.title.lower()} i {name}; vurderingen er oppdiktet.",
            departure_reason="Demonstrasjonstekst: grunnen til å vike av fra signalet er oppdiktet." if departs else "",
        )


def load_demo_profiles(*, coordinator: Any, staff: Any) -> Cycle:
    """Idempotent: a second run finds the cycle and changes nothing."""
    existing = Cycle.objects.filter(name=CYCLE_NAME).first()
    if existing is not None:
        return existing
    office = Office.objects.get(code="rogaland")
    cycle = services.cycle_open(office=office, actor=coordinator, name=CYCLE_NAME, year=2024)
    deadline = timezone.localdate() + dt.timedelta(weeks=3)
    for offset, number in enumerate([*PUBLISHED, ON_CONSULTATION]):
        profile = cycle.profiles.get(municipality__number=number)
        _fill(profile, staff, offset)
        profile = services.profile_submit_for_review(profile=profile, actor=staff)
        profile = services.profile_send_on_consultation(profile=profile, actor=coordinator, deadline=deadline)
        if number == ON_CONSULTATION:
            continue
        profile = services.profile_close_consultation(profile=profile, actor=coordinator)
        profile = services.profile_record_meeting(
            profile=profile,
            actor=coordinator,
            held_on=timezone.localdate(),
            actions=[
                {
                    "description": "Demonstrasjonstekst: oppdatere den overordnede beredskapsplanen.",
                    "owner_party": Owner.MUNICIPALITY,
                    "due_on": timezone.localdate() + dt.timedelta(days=120),
                },
                {
                    "description": "Demonstrasjonstekst: veiledning om barnevernstjenestens internkontroll.",
                    "owner_party": Owner.OFFICE,
                    "due_on": timezone.localdate() + dt.timedelta(days=60),
                },
            ],
        )
        services.profile_publish(profile=profile, actor=coordinator)
    return cycle
