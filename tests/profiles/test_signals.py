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
        ["I ROBEK siden 1. februar 2021 (kommuneloven § 28-1, bokstav a)."],
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


def import_12134(content: str, values: dict[str, list[float]], years: list[str]) -> None:
    """Table 12134 in SSB's own json-stat2 form, for another content code, regions and years."""
    import orjson
    from django.utils import timezone

    from kommunedialog.statistics import jsonstat
    from kommunedialog.statistics import services as statistics_services
    from tests.statistics.conftest import V2_12134, read

    doc = orjson.loads(read(V2_12134).replace(b"KOSAG110000", content.encode()))
    doc["dimension"]["ContentsCode"]["category"]["unit"][content]["decimals"] = 1
    doc["dimension"]["KOKkommuneregion0000"]["category"] = {"index": {code: i for i, code in enumerate(values)}}
    doc["dimension"]["Tid"]["category"] = {"index": {y: i for i, y in enumerate(years)}}
    doc["size"] = [len(values), 1, len(years)]
    doc["value"] = [v for series in values.values() for v in series]
    statistics_services.statistics_import(datasets=[jsonstat.parse(doc)], origin="test", fetched_at=timezone.now())


def statistics_signal(municipality):  # type: ignore[no-untyped-def]
    from django.utils import translation

    from kommunedialog.profiles.signal_rules import figures_by_domain

    with translation.override("en"):
        figures = figures_by_domain(municipality, Domain.ECONOMY)[Domain.ECONOMY]
        return signal_for(Domain.ECONOMY, evidence.for_domain(municipality, Domain.ECONOMY), figures)


def test_net_operating_result_below_the_recommended_level_three_years_running_proposes_improvement(hjelmeland):
    import_12134("KOSAGD230000", {"1133": [1.2, 0.8, 1.5]}, ["2022", "2023", "2024"])
    signal = statistics_signal(hjelmeland)
    assert signal.proposed == Rating.IMPROVEMENT
    assert signal.reasons == [
        "Net operating result as a share of gross operating revenue below 1.75 per cent in 2022, 2023, 2024 "
        "(1.2; 0.8; 1.5)."
    ]


def test_one_year_at_the_recommended_level_gives_no_signal(hjelmeland):
    import_12134("KOSAGD230000", {"1133": [1.2, 2.0, 1.5]}, ["2022", "2023", "2024"])
    assert statistics_signal(hjelmeland).proposed is None


def kostra_peers(municipality):  # type: ignore[no-untyped-def]
    return [
        m.number
        for m in Municipality.objects.current()
        .filter(kostra_group=municipality.kostra_group)
        .exclude(pk=municipality.pk)
    ]


def test_working_capital_below_the_kostra_groups_lower_quartile_proposes_improvement(hjelmeland):
    peers = kostra_peers(hjelmeland)
    assert len(peers) >= 4
    values = {"1133": [1.0], **{number: [10.0 + i] for i, number in enumerate(peers)}}
    import_12134("KOSKG280000", values, ["2024"])
    signal = statistics_signal(hjelmeland)
    assert signal.proposed == Rating.IMPROVEMENT
    assert signal.reasons == [
        "Working capital excluding pension premium deviations as a share of gross operating revenue 2024: 1.0 per cent, "
        "below the KOSTRA group's lower quartile (15.8)."
    ]


def test_working_capital_inside_the_middle_half_gives_no_signal(hjelmeland):
    peers = kostra_peers(hjelmeland)
    values = {"1133": [12.0], **{number: [10.0 + i % 5] for i, number in enumerate(peers)}}
    import_12134("KOSKG280000", values, ["2024"])
    assert statistics_signal(hjelmeland).proposed is None
