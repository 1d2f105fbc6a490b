from __future__ import annotations

import datetime as dt

import pytest

from kommunedialog.core.domains import Domain
from kommunedialog.oversight import evidence
from kommunedialog.oversight.models import RobekEntry, Supervision
from kommunedialog.profiles import services
from kommunedialog.profiles.models import Assessment, Rating
from kommunedialog.profiles.signal_rules import signal_for
from kommunedialog.registry.models import Municipality
from tests.factories import UserFactory
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def hjelmeland():
    return Municipality.objects.current().get(number="1133")


def supervision(municipality, domain, n, topic="Legemiddelhandtering"):
    return Supervision.objects.create(
        municipality=municipality,
        domain=domain,
        topic=topic,
        authority="statsforvalteren",
        reference=f"2025/{topic[:4]}{n}",
        supervision_type="system_audit",
        carried_out_on=dt.date(2025, 9, 1),
        nonconformity_count=n,
        remark_count=0,
    )


def test_no_evidence_no_signal(hjelmeland):
    signal = signal_for(Domain.HEALTH_CARE, evidence.for_domain(hjelmeland, Domain.HEALTH_CARE))
    assert (signal.proposed, signal.reasons) == (None, [])


def test_open_nonconformities_propose_improvement_and_name_the_supervision(hjelmeland):
    supervision(hjelmeland, Domain.HEALTH_CARE, 2)
    signal = signal_for(Domain.HEALTH_CARE, evidence.for_domain(hjelmeland, Domain.HEALTH_CARE))
    assert signal.proposed == Rating.IMPROVEMENT
    assert signal.reasons == ["2 åpne avvik fra tilsyn: Legemiddelhandtering (Statsforvalteren)."]


def test_many_open_nonconformities_propose_vulnerable(hjelmeland):
    supervision(hjelmeland, Domain.CHILD_WELFARE, 3, topic="Akuttberedskap")
    signal = signal_for(Domain.CHILD_WELFARE, evidence.for_domain(hjelmeland, Domain.CHILD_WELFARE))
    assert signal.proposed == Rating.VULNERABLE
    assert len(signal.reasons) == 1


def test_robek_proposes_vulnerable_for_the_economy_only(hjelmeland):
    RobekEntry.objects.create(
        municipality=hjelmeland, grounds="a", first_listed_on=dt.date(2021, 2, 1), last_listed_on=dt.date(2026, 4, 20)
    )
    economy = signal_for(Domain.ECONOMY, evidence.for_domain(hjelmeland, Domain.ECONOMY))
    assert (economy.proposed, economy.reasons) == (
        Rating.VULNERABLE,
        ["I ROBEK siden 01.02.2021 (kommuneloven § 28-1, bokstav a)."],
    )
    assert signal_for(Domain.HEALTH_CARE, evidence.for_domain(hjelmeland, Domain.HEALTH_CARE)).proposed is None


def test_a_rating_that_departs_from_the_signal_needs_a_reason():
    scenario = make_scenario()
    assessment = Assessment.objects.select_related("cycle_domain").get(
        profile=scenario["draft_profile"], cycle_domain__domain=Domain.HEALTH_CARE
    )
    supervision(scenario["own_municipality"], Domain.HEALTH_CARE, 2)
    staff = UserFactory(role="staff", office="rogaland")
    with pytest.raises(services.SignalDeparture):
        services.assessment_update(
            assessment=assessment, actor=staff, expected_version=1, rating=Rating.GOOD, justification="Alt er bra."
        )
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.version) == ("", 1)
    services.assessment_update(
        assessment=assessment,
        actor=staff,
        expected_version=1,
        rating=Rating.GOOD,
        justification="Alt er bra.",
        departure_reason="Avvika er lukka i praksis; rapporten kjem.",
    )
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.departure_reason) == ("good", "Avvika er lukka i praksis; rapporten kjem.")
    # Agreeing with the signal needs no reason.
    services.assessment_update(
        assessment=assessment, actor=staff, expected_version=2, rating=Rating.IMPROVEMENT, justification="Avvik."
    )
