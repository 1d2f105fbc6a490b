"""Supervision planning: who is listed (rating or signals point to risk), in what order (by name, never
by rating), choosing next year's supervisions with a reason, the exports, and who may do it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from kommunedialog.core.models import AuditEvent
from kommunedialog.oversight import planning
from kommunedialog.oversight.models import PlannedSupervision, Supervision
from kommunedialog.profiles import services, supervision_plan
from kommunedialog.profiles.models import Assessment, Profile
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/intern/tilsynsplan/rogaland/"


@pytest.fixture
def rogaland_picture():  # type: ignore[no-untyped-def]
    """Hjelmeland published with child welfare rated vulnerable (the rest good); Suldal with two open
    nonconformities in child welfare; Sauda with one closed supervision and nothing open."""
    office = Office.objects.get(code="rogaland")
    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = services.cycle_open(office=office, actor=coordinator, name="Plan 2026", year=2026)
    profile = cycle.profiles.get(municipality__number="1133")
    Assessment.objects.filter(profile=profile).update(rating="good", justification="Test.")
    Assessment.objects.filter(profile=profile, cycle_domain__domain="child_welfare").update(rating="vulnerable")
    Profile.objects.filter(pk=profile.pk).update(state=State.MEETING_HELD, meeting_held_on=dt.date(2026, 3, 1))
    services.profile_publish(profile=profile, actor=coordinator)
    current = Municipality.objects.current()
    Supervision.objects.create(
        municipality=current.get(number="1134"),
        domain="child_welfare",
        authority="statsforvalteren",
        reference="2025/7",
        topic="Tiltaksplaner",
        supervision_type="system_audit",
        carried_out_on=dt.date(2025, 5, 6),
        nonconformity_count=2,
    )
    Supervision.objects.create(
        municipality=current.get(number="1135"),
        domain="child_welfare",
        authority="statsforvalteren",
        reference="2024/3",
        topic="Meldinger",
        supervision_type="system_audit",
        carried_out_on=dt.date(2024, 2, 1),
        status="closed",
        closed_on=dt.date(2024, 6, 1),
    )
    return office


def test_candidates_are_those_at_risk_by_name(rogaland_picture):
    plan = supervision_plan.build(rogaland_picture)
    child_welfare = next(g for g in plan.groups if g.domain == "child_welfare")
    assert [(c.municipality.number, c.rating, c.signal.proposed) for c in child_welfare.candidates] == [
        ("1133", "vulnerable", None),
        ("1134", None, "improvement"),
    ]
    suldal = child_welfare.candidates[1]
    assert (suldal.last_supervision.reference, suldal.open_nonconformities, suldal.kommunebilde_on) == (
        "2025/7",
        2,
        None,
    )
    assert child_welfare.candidates[0].kommunebilde_on == timezone.localdate()
    assert plan.candidate_count == 2
    assert plan.year == timezone.localdate().year + 1


def test_candidates_are_never_ordered_by_rating(rogaland_picture):
    # Suldal (vulnerable by its signal: three open nonconformities) still comes after Hjelmeland.
    Supervision.objects.filter(reference="2025/7").update(nonconformity_count=3)
    names = [
        c.municipality.name_norwegian
        for g in supervision_plan.build(rogaland_picture).groups
        for c in g.candidates
        if g.domain == "child_welfare"
    ]
    assert names == ["Hjelmeland", "Suldal"]


def test_staff_add_a_supervision_with_a_reason_and_export_the_plan(client, rogaland_picture):
    staff = UserFactory(role="staff", office="rogaland")
    client.force_login(staff)
    page = client.get(URL, {"kommune": "1134", "fagomrade": "child_welfare"})
    assert page.status_code == 200
    assert 'value="1134" selected' in page.content.decode()
    response = client.post(
        URL + "legg-til/", {"municipality": "1134", "domain": "child_welfare", "reason": "To åpne avvik."}
    )
    assert response.status_code == 302
    planned = PlannedSupervision.objects.get()
    assert (planned.municipality.number, planned.domain, planned.year, planned.reason, planned.added_by) == (
        "1134",
        "child_welfare",
        timezone.localdate().year + 1,
        "To åpne avvik.",
        staff,
    )
    assert AuditEvent.objects.filter(action="planned_supervision_add").count() == 1
    rows = list(csv.reader(io.StringIO(client.get(URL + "plan.csv").content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == [str(timezone.localdate().year + 1), "1134", "Suldal", "Barnevern", "To åpne avvik.", "", ""]
    document = client.get(URL + "plan.pdf")
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    # The same supervision twice: refused beside the field, nothing added.
    again = client.post(URL + "legg-til/", {"municipality": "1134", "domain": "child_welfare", "reason": "Igjen."})
    assert again.status_code == 400
    assert PlannedSupervision.objects.count() == 1
    # Without a reason: refused.
    assert (
        client.post(URL + "legg-til/", {"municipality": "1133", "domain": "economy", "reason": " "}).status_code == 400
    )
    assert PlannedSupervision.objects.count() == 1
    assert client.post(URL + f"fjern/{planned.pk}/").status_code == 302
    assert not PlannedSupervision.objects.exists()
    assert AuditEvent.objects.filter(action="planned_supervision_remove").count() == 1


@pytest.mark.parametrize(
    "role",
    [
        {"role": "staff", "office": "vestland"},
        {"role": "ministry"},
        {"role": "admin"},
        {"role": "municipality_user", "municipality": "1133"},
    ],
)
def test_only_the_offices_own_staff_plan(client, rogaland_picture, role):
    planned = planning.planned_supervision_add(
        office=rogaland_picture,
        municipality=Municipality.objects.current().get(number="1133"),
        domain="child_welfare",
        year=2027,
        reason="Sårbar.",
        actor=UserFactory(role="staff", office="rogaland"),
    )
    client.force_login(UserFactory(**role))
    events = AuditEvent.objects.count()
    assert client.get(URL).status_code == 404
    assert client.get(URL + "plan.csv").status_code == 404
    assert (
        client.post(URL + "legg-til/", {"municipality": "1134", "domain": "economy", "reason": "X."}).status_code == 404
    )
    assert client.post(URL + f"fjern/{planned.pk}/").status_code == 404
    assert list(PlannedSupervision.objects.values_list("pk", flat=True)) == [planned.pk]
    assert AuditEvent.objects.count() == events


def test_a_municipality_outside_the_office_is_refused(rogaland_picture):
    with pytest.raises(planning.Refused):
        planning.planned_supervision_add(
            office=rogaland_picture,
            municipality=Municipality.objects.current().get(number="4601"),
            domain="economy",
            year=2027,
            reason="Bergen.",
            actor=UserFactory(role="staff", office="rogaland"),
        )
    assert not PlannedSupervision.objects.exists()
    assert not AuditEvent.objects.filter(action="planned_supervision_add").exists()
