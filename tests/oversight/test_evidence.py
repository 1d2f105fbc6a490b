"""The seam for the kommunebilde: evidence.for_domain returns the records a domain assessment rests on."""

from __future__ import annotations

import datetime as dt

import pytest

from kommunedialog.core.domains import Domain
from kommunedialog.demo.oversight import load_demo_oversight
from kommunedialog.oversight import evidence
from kommunedialog.oversight.models import RobekEntry
from kommunedialog.registry.models import Municipality
from tests.oversight.conftest import counts

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 5, 1)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    load_demo_oversight()


def test_health_care_in_hjelmeland(demo, hjelmeland):
    e = evidence.for_domain(hjelmeland, Domain.HEALTH_CARE, on=ON)
    assert [s.reference for s in e.supervisions] == ["DEMO-2025/101"]
    assert (e.open_nonconformities, e.open_remarks) == (1, 1)
    assert [c.service_area for c in e.cooperations] == ["legevakt"]
    assert (e.plans, e.complaint_statistics, e.in_robek) == ([], [], False)


def test_a_supervision_closed_later_was_open_then(demo, hjelmeland):
    before = evidence.for_domain(hjelmeland, Domain.CHILD_WELFARE, on=dt.date(2024, 6, 1))
    after = evidence.for_domain(hjelmeland, Domain.CHILD_WELFARE, on=ON)
    assert ([s.reference for s in before.open_supervisions], after.open_supervisions) == (["DEMO-2024/88"], [])


def test_plans_are_filed_under_their_domain_with_status(demo, hjelmeland):
    planning = evidence.for_domain(hjelmeland, Domain.PLANNING, on=ON)
    assert [(p.plan_type, p.overdue, p.due) for p in planning.plans] == [
        ("planning_strategy", True, dt.date(2024, 10, 31))
    ]
    protection = evidence.for_domain(hjelmeland, Domain.CIVIL_PROTECTION, on=ON)
    assert [(p.plan_type, p.overdue) for p in protection.overdue_plans] == [("emergency_plan", True)]
    economy = evidence.for_domain(hjelmeland, Domain.ECONOMY, on=ON)
    assert [(p.plan_type, p.overdue) for p in economy.plans] == [("financial_plan", False)]


def test_robek_is_economy_evidence_in_force_on_the_date(demo):
    flesberg = Municipality.objects.current().get(number="3334")
    assert evidence.for_domain(flesberg, Domain.ECONOMY, on=ON).in_robek is True
    assert evidence.for_domain(flesberg, Domain.HEALTH_CARE, on=ON).in_robek is False
    assert evidence.for_domain(flesberg, Domain.ECONOMY, on=dt.date(2026, 4, 19)).robek is None
    assert RobekEntry.objects.count() == 27


def test_a_whole_municipality_in_a_fixed_number_of_queries(demo, hjelmeland, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        found = evidence.for_municipality(hjelmeland, on=ON)
    assert list(found) == list(Domain)
    assert [d for d, e in found.items() if not e.is_empty] == [
        Domain.HEALTH_CARE,
        Domain.CHILD_WELFARE,
        Domain.ECONOMY,
        Domain.PLANNING,
        Domain.SOCIAL_SERVICES,
        Domain.CIVIL_PROTECTION,
    ]


def test_the_demo_is_marked_and_loading_it_again_writes_nothing(demo):
    from kommunedialog.oversight.models import Cooperation, Supervision

    assert all(s.topic.startswith("Demonstrasjon: ") for s in Supervision.objects.all())
    assert all(s.reference.startswith("DEMO-") for s in Supervision.objects.all())
    assert Cooperation.objects.get().name.startswith("Demonstrasjon: ")
    before = counts()
    load_demo_oversight()
    assert counts() == before


def test_evidence_items_for_the_kommunebilde_snapshot_are_plain_json(demo, hjelmeland):
    import json

    items = evidence.for_domain(hjelmeland, Domain.CHILD_WELFARE, on=dt.date(2024, 6, 1)).as_items()
    assert items == [
        {
            "kind": "supervision",
            "authority": "statsforvalteren",
            "reference": "DEMO-2024/88",
            "topic": "Demonstrasjon: oppfølging av barn i fosterhjem",
            "type": "self_assessment",
            "carried_out_on": "2024-04-10",
            "report_on": "2024-05-02",
            "nonconformities": 0,
            "remarks": 1,
            "status": "open",
            "closed_on": None,
            "source_url": "",
        }
    ]
    economy = evidence.for_domain(Municipality.objects.current().get(number="3334"), Domain.ECONOMY, on=ON)
    assert economy.as_items() == [
        {
            "kind": "robek",
            "grounds": ["a", "b", "c", "d"],
            "listed_since": "2026-04-20",
            "source_url": economy.robek.source_url,
        }
    ]
    json.dumps(evidence.for_municipality(hjelmeland, on=ON)[Domain.PLANNING].as_items())
