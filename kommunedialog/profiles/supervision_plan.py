"""Supervision planning for one office: per domain, the municipalities whose newest published rating
(vulnerable, improvement potential) or whose oversight signals point to risk, with their last
supervision, open nonconformities and the date of their kommunebilde; and the plan for next year.

Alphabetical within each domain, never ordered by rating or by how many findings: there is no score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.core.domains import Domain
from kommunedialog.oversight import evidence
from kommunedialog.oversight.evidence import DomainEvidence
from kommunedialog.oversight.models import PlannedSupervision, Supervision
from kommunedialog.oversight.tabular import csv_bytes
from kommunedialog.profiles import signal_rules
from kommunedialog.profiles.models import PublishedProfile, Rating
from kommunedialog.profiles.overview import office_municipalities
from kommunedialog.profiles.public import latest_published_ratings
from kommunedialog.registry.models import Municipality, Office

RISK = frozenset({Rating.VULNERABLE, Rating.IMPROVEMENT})


@dataclass(frozen=True)
class Candidate:
    municipality: Municipality
    domain: Domain
    rating: Rating | None  # the newest published rating of the domain
    signal: signal_rules.Signal  # from the oversight records
    evidence: DomainEvidence
    kommunebilde_on: dt.date | None
    planned: bool

    @property
    def last_supervision(self) -> Supervision | None:
        done = [s for s in self.evidence.supervisions if s.carried_out_on]
        return max(done, key=lambda s: s.carried_out_on) if done else None  # type: ignore[arg-type, return-value]

    @property
    def open_nonconformities(self) -> int:
        return self.evidence.open_nonconformities


@dataclass(frozen=True)
class DomainCandidates:
    domain: Domain
    candidates: list[Candidate]


@dataclass(frozen=True)
class PlanRow:
    planned: PlannedSupervision
    rating: Rating | None
    kommunebilde_on: dt.date | None


@dataclass(frozen=True)
class SupervisionPlan:
    office: Office
    on: dt.date
    year: int
    groups: list[DomainCandidates]
    plan: list[PlanRow]

    @property
    def candidate_count(self) -> int:
        return sum(len(g.candidates) for g in self.groups)


def next_year(on: dt.date | None = None) -> int:
    return (on or timezone.localdate()).year + 1


def kommunebilde_dates(municipality_ids: list[int]) -> dict[int, dt.date]:
    """The publication date of each municipality's newest published kommunebilde."""
    dates: dict[int, dt.date] = {}
    for mid, published_at in PublishedProfile.objects.filter(municipality_id__in=municipality_ids).values_list(
        "municipality_id", "published_at"
    ):
        day = timezone.localdate(published_at)
        if mid not in dates or dates[mid] < day:
            dates[mid] = day
    return dates


def _rating(code: str | None) -> Rating | None:
    return Rating(code) if code in Rating.values else None


def build(office: Office, *, on: dt.date | None = None, year: int | None = None) -> SupervisionPlan:
    on = on or timezone.localdate()
    year = year or next_year(on)
    # Alphabetical (the register's ordering by name); kept so in every group below.
    municipalities = sorted(office_municipalities(office), key=lambda m: (m.name_norwegian, m.number))
    ids = [m.pk for m in municipalities]
    found = evidence.for_municipalities(municipalities, on=on)
    ratings = latest_published_ratings(ids)
    dates = kommunebilde_dates(ids)
    planned = list(
        PlannedSupervision.objects.filter(office=office, year=year)
        .select_related("municipality", "added_by")
        .order_by("municipality__name_norwegian", "domain")
    )
    chosen = {(p.municipality_id, p.domain) for p in planned}
    groups = []
    for domain in Domain:
        candidates = []
        for m in municipalities:
            rating = _rating(ratings.get((m.pk, domain.value)))
            signal = signal_rules.signal_for(domain.value, found[(m.pk, domain)])
            if rating in RISK or signal.proposed in RISK:
                candidates.append(
                    Candidate(
                        m, domain, rating, signal, found[(m.pk, domain)], dates.get(m.pk), (m.pk, domain) in chosen
                    )
                )
        groups.append(DomainCandidates(domain, candidates))
    plan = [
        PlanRow(p, _rating(ratings.get((p.municipality_id, p.domain))), dates.get(p.municipality_id)) for p in planned
    ]
    return SupervisionPlan(office=office, on=on, year=year, groups=groups, plan=plan)


def plan_csv(plan: SupervisionPlan) -> bytes:
    headers = [
        _("Year"),
        _("Municipality number"),
        _("Municipality"),
        _("Domain"),
        _("Reason"),
        _("Latest rating"),
        _("Kommunebilde published"),
    ]
    rows = [
        [
            row.planned.year,
            row.planned.municipality.number,
            row.planned.municipality.name,
            str(row.planned.get_domain_display()),
            row.planned.reason,
            str(row.rating.label) if row.rating else "",
            row.kommunebilde_on,
        ]
        for row in plan.plan
    ]
    return csv_bytes(headers, rows)
