"""Plan age and overdue status follow the rule tables in oversight/plans.py."""

from __future__ import annotations

import datetime as dt

import pytest

from kommunedialog.core.domains import Domain
from kommunedialog.oversight.models import Plan, PlanType
from kommunedialog.oversight.plans import (
    COUNCIL_TERMS,
    PLAN_RULES,
    CouncilTerm,
    current_term,
    domain_of,
    latest_plans,
    plan_status,
)


def plan(plan_type: PlanType, adopted: dt.date, revision_due: dt.date | None = None, municipality_id: int = 1) -> Plan:
    return Plan(plan_type=plan_type, adopted_on=adopted, revision_due=revision_due, municipality_id=municipality_id)


def test_every_plan_type_has_a_rule_with_a_domain_and_legal_basis():
    assert set(PLAN_RULES) == set(PlanType)
    assert all(rule.legal_basis for rule in PLAN_RULES.values())
    assert domain_of(PlanType.FINANCIAL_PLAN) == Domain.ECONOMY
    assert domain_of(PlanType.RISK_VULNERABILITY) == Domain.CIVIL_PROTECTION


def test_the_current_council_was_constituted_in_october_2023():
    assert current_term(dt.date(2026, 5, 1)) == CouncilTerm(dt.date(2023, 9, 11), dt.date(2023, 10, 31))
    assert current_term(dt.date(2023, 10, 30)) == COUNCIL_TERMS[0]


def test_a_planning_strategy_from_the_previous_term_is_overdue_a_year_after_constitution():
    old = plan(PlanType.PLANNING_STRATEGY, dt.date(2020, 6, 18))
    before = plan_status(old, on=dt.date(2024, 10, 31))
    assert (before.overdue, before.due) == (False, dt.date(2024, 10, 31))
    after = plan_status(old, on=dt.date(2024, 11, 1))
    assert (after.overdue, after.due, after.reason, after.legal_basis) == (
        True,
        dt.date(2024, 10, 31),
        "adoption by the council constituted in 2023",
        "plan- og bygningsloven § 10-1",
    )


def test_a_planning_strategy_adopted_in_this_term_is_current():
    status = plan_status(plan(PlanType.PLANNING_STRATEGY, dt.date(2024, 9, 12)), on=dt.date(2026, 5, 1))
    assert (status.overdue, status.due, status.age_years) == (False, None, 1.6)


def test_the_rule_follows_the_configured_terms():
    terms = (CouncilTerm(dt.date(2027, 9, 13), dt.date(2027, 10, 31)),)
    status = plan_status(plan(PlanType.PLANNING_STRATEGY, dt.date(2024, 9, 12)), on=dt.date(2028, 11, 1), terms=terms)
    assert (status.overdue, status.due) == (True, dt.date(2028, 10, 31))


def test_the_financial_plan_is_renewed_every_year():
    status = plan_status(plan(PlanType.FINANCIAL_PLAN, dt.date(2024, 12, 17)), on=dt.date(2026, 1, 10))
    assert (status.overdue, status.due, status.reason) == (True, dt.date(2025, 12, 17), "maximum age of the plan")


def test_the_municipalitys_own_revision_date_counts():
    status = plan_status(
        plan(PlanType.LAND_USE_PART, dt.date(2019, 5, 2), revision_due=dt.date(2025, 12, 31)), on=dt.date(2026, 1, 1)
    )
    assert (status.overdue, status.due, status.reason) == (
        True,
        dt.date(2025, 12, 31),
        "revision date set by the municipality",
    )
    no_rule = plan_status(plan(PlanType.LAND_USE_PART, dt.date(2010, 1, 1)), on=dt.date(2026, 1, 1))
    assert (no_rule.overdue, no_rule.due) == (False, None)


def test_the_earliest_passed_due_date_is_the_one_reported():
    status = plan_status(
        plan(PlanType.EMERGENCY_PLAN, dt.date(2023, 2, 28), revision_due=dt.date(2025, 6, 1)), on=dt.date(2026, 1, 1)
    )
    assert (status.due, status.reason) == (dt.date(2024, 2, 28), "maximum age of the plan")


@pytest.mark.parametrize(
    ("adopted", "due"), [(dt.date(2024, 2, 29), dt.date(2025, 2, 28)), (dt.date(2023, 1, 31), dt.date(2024, 1, 31))]
)
def test_due_dates_are_calendar_months(adopted, due):
    assert plan_status(plan(PlanType.FINANCIAL_PLAN, adopted), on=adopted).due == due


def test_only_the_latest_version_of_each_plan_counts():
    plans = [
        plan(PlanType.FINANCIAL_PLAN, dt.date(2024, 12, 1)),
        plan(PlanType.FINANCIAL_PLAN, dt.date(2025, 12, 1)),
        plan(PlanType.PLANNING_STRATEGY, dt.date(2020, 1, 1)),
        plan(PlanType.FINANCIAL_PLAN, dt.date(2023, 12, 1), municipality_id=2),
    ]
    assert [(p.municipality_id, p.plan_type, p.adopted_on) for p in latest_plans(plans)] == [
        (1, "planning_strategy", dt.date(2020, 1, 1)),
        (1, "financial_plan", dt.date(2025, 12, 1)),
        (2, "financial_plan", dt.date(2023, 12, 1)),
    ]
