"""Demonstration content for issue 16 (load_demo): one supervision on Rogaland's plan for next year and
Hjelmeland's own words beside its published kommunebilde. The ministry's demo user ("departement")
sees the national picture at /kommunebilde/. Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kommunedialog.oversight.models import PlannedSupervision
from kommunedialog.oversight.planning import planned_supervision_add
from kommunedialog.profiles.models import MunicipalityVoice, PublishedProfile
from kommunedialog.profiles.voice import chapters, voice_save
from kommunedialog.registry.models import Municipality, Office


def load_demo_national(*, staff: Any, municipality_user: Any) -> None:
    office = Office.objects.get(code="rogaland")
    year = timezone.localdate().year + 1
    hjelmeland = Municipality.objects.current().get(number="1133")
    if not PlannedSupervision.objects.filter(office=office, year=year).exists():
        planned_supervision_add(
            office=office,
            municipality=hjelmeland,
            domain="child_welfare",
            year=year,
            reason="Demonstrasjonstekst: sårbar i siste kommunebilde; grunnen er oppdiktet.",
            actor=staff,
        )
    snapshot = PublishedProfile.objects.filter(municipality=hjelmeland).order_by("-published_at").first()
    if snapshot is not None and not MunicipalityVoice.objects.filter(snapshot=snapshot).exists():
        voice_save(
            snapshot=snapshot,
            actor=municipality_user,
            expected_version=1,
            goals={0: "Demonstrasjonstekst: et forbedringsmål kommunen selv har satt."} if chapters(snapshot) else {},
            comment="Demonstrasjonstekst: kommunens egen kommentar til kommunebildet.",
        )
