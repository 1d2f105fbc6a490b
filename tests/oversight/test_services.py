"""One-record services: named, atomic, audited; a refused change leaves no trace."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.domains import Domain, parse_domain
from kommunedialog.core.models import AuditEvent
from kommunedialog.oversight import services
from kommunedialog.oversight.models import (
    Authority,
    LegalForm,
    PlanType,
    Supervision,
    SupervisionStatus,
    SupervisionType,
)
from kommunedialog.oversight.services import CooperationSpec, OversightError, PlanSpec, SupervisionSpec
from tests.oversight.conftest import counts

pytestmark = pytest.mark.django_db


def spec(municipality, **overrides) -> SupervisionSpec:
    values = {
        "municipality": municipality,
        "domain": Domain.HEALTH_CARE,
        "authority": Authority.HELSETILSYNET,
        "reference": "2025/55",
        "topic": "Fastlegeordningen",
        "supervision_type": SupervisionType.NATIONWIDE,
        "carried_out_on": dt.date(2025, 3, 3),
        "nonconformity_count": 2,
    }
    return SupervisionSpec(**{**values, **overrides})


def test_registering_a_supervision_is_audited_with_its_values(staff_user, hjelmeland):
    s = services.supervision_register(actor=staff_user, spec=spec(hjelmeland))
    event = AuditEvent.objects.get(action="supervision_register.create")
    assert (event.actor_id, event.object_id) == (staff_user.pk, str(s.pk))
    assert event.after["reference"] == "2025/55"
    assert event.after["carried_out_on"] == "2025-03-03"
    assert event.after["municipality"] == hjelmeland.pk


def test_registering_the_same_supervision_again_writes_nothing(staff_user, hjelmeland):
    services.supervision_register(actor=staff_user, spec=spec(hjelmeland))
    before = counts()
    services.supervision_register(actor=staff_user, spec=spec(hjelmeland))
    assert counts() == before


def test_the_same_case_number_at_another_municipality_is_another_supervision(staff_user, hjelmeland, suldal):
    services.supervision_register(actor=staff_user, spec=spec(hjelmeland))
    services.supervision_register(actor=staff_user, spec=spec(suldal))
    assert Supervision.objects.filter(reference="2025/55").count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": SupervisionStatus.CLOSED}, "A closed supervision needs its closing date."),
        ({"closed_on": dt.date(2025, 5, 1)}, "An open supervision has no closing date; set the status to closed."),
        ({"carried_out_on": None}, "Give the planned date, the date carried out, or both."),
        ({"report_on": dt.date(2025, 1, 1)}, "The report date is before the supervision was carried out."),
        ({"nonconformities": ("Én",)}, "Nonconformity texts (1) do not match the number of nonconformities (2)."),
    ],
)
def test_a_supervision_that_breaks_a_rule_is_refused(overrides, message, staff_user, hjelmeland):
    before = counts()
    with pytest.raises(OversightError, match=re.escape(message)):
        services.supervision_register(actor=staff_user, spec=spec(hjelmeland, **overrides))
    assert counts() == before


def test_closing_a_supervision(staff_user, hjelmeland):
    s = services.supervision_register(actor=SYSTEM, spec=spec(hjelmeland))
    services.supervision_close(actor=staff_user, supervision=s, closed_on=dt.date(2025, 9, 1))
    s.refresh_from_db()
    assert (s.status, s.closed_on) == ("closed", dt.date(2025, 9, 1))
    event = AuditEvent.objects.get(action="supervision_close")
    assert (event.before, event.after) == (
        {"status": "open", "closed_on": None},
        {"status": "closed", "closed_on": "2025-09-01"},
    )


@pytest.mark.parametrize(
    ("closed_on", "message"),
    [(dt.date(2025, 1, 1), "The closing date is before the supervision was carried out.")],
)
def test_closing_before_it_was_carried_out_is_refused(closed_on, message, staff_user, hjelmeland):
    s = services.supervision_register(actor=SYSTEM, spec=spec(hjelmeland))
    before = counts()
    with pytest.raises(OversightError, match=re.escape(message)):
        services.supervision_close(actor=staff_user, supervision=s, closed_on=closed_on)
    s.refresh_from_db()
    assert (s.status, s.closed_on) == ("open", None)
    assert counts() == before


def test_closing_a_closed_supervision_is_refused(staff_user, hjelmeland):
    s = services.supervision_register(actor=SYSTEM, spec=spec(hjelmeland))
    services.supervision_close(actor=staff_user, supervision=s, closed_on=dt.date(2025, 9, 1))
    before = counts()
    with pytest.raises(OversightError, match="already closed"):
        services.supervision_close(actor=staff_user, supervision=s, closed_on=dt.date(2025, 10, 1))
    s.refresh_from_db()
    assert s.closed_on == dt.date(2025, 9, 1)
    assert counts() == before


def test_plans_and_cooperations_are_registered_and_audited(staff_user, hjelmeland, suldal):
    services.plan_register(
        actor=staff_user,
        spec=PlanSpec(municipality=hjelmeland, plan_type=PlanType.FINANCIAL_PLAN, adopted_on=dt.date(2025, 12, 16)),
    )
    cooperation = services.cooperation_register(
        actor=staff_user,
        spec=CooperationSpec(
            name="Ryfylke barnevern", service_area="barnevern", legal_form=LegalForm.HOST_MUNICIPALITY,
            host=suldal, members=(hjelmeland, suldal), domain=Domain.CHILD_WELFARE,
        ),
    )  # fmt: skip
    assert sorted(cooperation.members.values_list("number", flat=True)) == ["1133", "1134"]
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "plan_register.create",
        "cooperation_register.create",
    }
    with pytest.raises(OversightError, match="at least two member municipalities"):
        services.cooperation_register(
            actor=staff_user,
            spec=CooperationSpec(name="Alene", service_area="x", legal_form=LegalForm.OTHER, members=(hjelmeland,)),
        )


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("Helse og omsorg", Domain.HEALTH_CARE),
        ("  barnevern ", Domain.CHILD_WELFARE),
        ("child_welfare", Domain.CHILD_WELFARE),
        ("Samfunnstryggleik og beredskap", Domain.CIVIL_PROTECTION),
        ("Social services", Domain.SOCIAL_SERVICES),
        ("fotball", None),
    ],
)
def test_domains_are_read_from_codes_and_norwegian_names(text, domain):
    assert parse_domain(text) == domain


def test_the_national_default_set_has_eleven_domains():
    assert len(Domain) == 11
