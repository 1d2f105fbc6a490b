"""When a plan is overdue. The rules are data: the tables below say, per plan type, what the law or
guideline expects and which domain the plan is evidence for; ``plan_status`` only applies them.

Two kinds of rule exist. A plan may have to be adopted anew within some time after each newly elected
council is constituted (the planning strategy: plan- og bygningsloven § 10-1, within one year), or it
may have to be renewed within a maximum age (the financial plan every year). A revision date the
municipality has set itself (``Plan.revision_due``) counts as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kommunedialog.core.domains import Domain
from kommunedialog.oversight.models import Plan, PlanType


@dataclass(frozen=True)
class CouncilTerm:
    """An electoral term of the municipal councils: elected in September, constituted by the end of
    October (the date used is the latest day a council may be constituted)."""

    elected_on: dt.date
    constituted_by: dt.date


# Add the next term here when it is elected (the next election is in September 2027).
COUNCIL_TERMS: tuple[CouncilTerm, ...] = (
    CouncilTerm(elected_on=dt.date(2019, 9, 9), constituted_by=dt.date(2019, 10, 31)),
    CouncilTerm(elected_on=dt.date(2023, 9, 11), constituted_by=dt.date(2023, 10, 31)),
)


@dataclass(frozen=True)
class PlanRule:
    domain: Domain
    legal_basis: str
    # Adopted anew within this many months of each council's constitution.
    months_after_constitution: int | None = None
    # Renewed at least this often.
    max_age_months: int | None = None


PLAN_RULES: dict[PlanType, PlanRule] = {
    PlanType.PLANNING_STRATEGY: PlanRule(
        Domain.PLANNING, "plan- og bygningsloven § 10-1", months_after_constitution=12
    ),
    # The master plan is revised when the planning strategy says so; only its own revision date counts.
    PlanType.SOCIETAL_PART: PlanRule(Domain.PLANNING, "plan- og bygningsloven § 11-2"),
    PlanType.LAND_USE_PART: PlanRule(Domain.PLANNING, "plan- og bygningsloven § 11-5"),
    # Updated with each revision of the master plan, i.e. once per council term.
    PlanType.RISK_VULNERABILITY: PlanRule(
        Domain.CIVIL_PROTECTION, "forskrift om kommunal beredskapsplikt § 2", max_age_months=48
    ),
    PlanType.EMERGENCY_PLAN: PlanRule(
        Domain.CIVIL_PROTECTION, "forskrift om kommunal beredskapsplikt § 6", max_age_months=12
    ),
    PlanType.CLIMATE_ENERGY: PlanRule(
        Domain.ENVIRONMENT_CLIMATE, "statlige planretningslinjer for klima og energi, pkt. 3", max_age_months=48
    ),
    # Adopted by 31 December every year for the four years ahead.
    PlanType.FINANCIAL_PLAN: PlanRule(Domain.ECONOMY, "kommuneloven § 14-4", max_age_months=12),
}


def domain_of(plan_type: str) -> Domain:
    return PLAN_RULES[PlanType(plan_type)].domain


def plan_types_for(domain: str) -> list[PlanType]:
    return [t for t, rule in PLAN_RULES.items() if rule.domain == domain]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # The last day of the target month when the day does not exist there (31 → 30, 29 Feb → 28).
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def current_term(on: dt.date, terms: Sequence[CouncilTerm] = COUNCIL_TERMS) -> CouncilTerm | None:
    started = [t for t in terms if t.constituted_by <= on]
    return max(started, key=lambda t: t.constituted_by, default=None)


@dataclass(frozen=True)
class PlanStatus:
    plan: Plan
    on: dt.date
    overdue: bool
    reason: str
    due: dt.date | None
    legal_basis: str

    @property
    def age_years(self) -> float:
        return round((self.on - self.plan.adopted_on).days / 365.25, 1)

    @property
    def plan_type(self) -> str:
        return self.plan.plan_type


def plan_status(plan: Plan, *, on: dt.date, terms: Sequence[CouncilTerm] = COUNCIL_TERMS) -> PlanStatus:
    """Whether the version ``plan`` (the latest of its type) is overdue on ``on``, with the reason."""
    rule = PLAN_RULES[PlanType(plan.plan_type)]
    dues: list[tuple[dt.date, str]] = []
    if plan.revision_due is not None:
        dues.append((plan.revision_due, str(_("revision date set by the municipality"))))
    if rule.max_age_months is not None:
        dues.append((_add_months(plan.adopted_on, rule.max_age_months), str(_("maximum age of the plan"))))
    if rule.months_after_constitution is not None:
        term = current_term(on, terms)
        if term is not None and plan.adopted_on < term.elected_on:
            dues.append(
                (
                    _add_months(term.constituted_by, rule.months_after_constitution),
                    str(_("adoption by the council constituted in %(year)s") % {"year": term.constituted_by.year}),
                )
            )
    passed = sorted(d for d in dues if d[0] < on)
    if passed:
        due, why = passed[0]
        return PlanStatus(plan, on, True, why, due, rule.legal_basis)
    upcoming = min(dues, default=None)
    return PlanStatus(plan, on, False, "", upcoming[0] if upcoming else None, rule.legal_basis)


def latest_plans(plans: Iterable[Plan]) -> list[Plan]:
    """The latest adopted version of each plan type per municipality."""
    latest: dict[tuple[int, str], Plan] = {}
    for plan in plans:
        key = (plan.municipality_id, plan.plan_type)
        if key not in latest or plan.adopted_on > latest[key].adopted_on:
            latest[key] = plan
    return sorted(latest.values(), key=lambda p: (p.municipality_id, list(PlanType).index(PlanType(p.plan_type))))
