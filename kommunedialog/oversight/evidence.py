"""The evidence records of one municipality and domain, for the kommunebilde.

This is the seam the kommunebilde (profiles) uses: ``for_domain`` gives what a domain assessment may
rest on, and the facts the signal rules need (open nonconformities, overdue plans, ROBEK) as plain
properties. It reads; it never decides a rating.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from kommunedialog.core.domains import Domain
from kommunedialog.oversight.models import ComplaintStatistic, Cooperation, Finding, Plan, RobekEntry, Supervision
from kommunedialog.oversight.plans import PlanStatus, latest_plans, plan_status, plan_types_for
from kommunedialog.registry.models import Municipality

# ROBEK is a fact about the municipality's economy; other domains see it as context only.
ROBEK_DOMAIN = Domain.ECONOMY


@dataclass(frozen=True)
class DomainEvidence:
    municipality: Municipality
    domain: Domain
    on: dt.date
    supervisions: list[Supervision] = field(default_factory=list)
    complaint_statistics: list[ComplaintStatistic] = field(default_factory=list)
    plans: list[PlanStatus] = field(default_factory=list)
    robek: RobekEntry | None = None
    cooperations: list[Cooperation] = field(default_factory=list)

    @property
    def open_supervisions(self) -> list[Supervision]:
        # Open as of ``on``: a supervision closed later was still open then.
        return [s for s in self.supervisions if s.closed_on is None or s.closed_on > self.on]

    @property
    def open_nonconformities(self) -> int:
        return sum(s.nonconformity_count for s in self.open_supervisions)

    @property
    def open_remarks(self) -> int:
        return sum(s.remark_count for s in self.open_supervisions)

    @property
    def overdue_plans(self) -> list[PlanStatus]:
        return [p for p in self.plans if p.overdue]

    @property
    def in_robek(self) -> bool:
        return self.robek is not None and self.domain == ROBEK_DOMAIN

    @property
    def latest_complaints(self) -> ComplaintStatistic | None:
        return self.complaint_statistics[0] if self.complaint_statistics else None

    @property
    def is_empty(self) -> bool:
        return not (self.supervisions or self.complaint_statistics or self.plans or self.in_robek or self.cooperations)

    def as_items(self) -> list[dict[str, Any]]:
        """The records as plain JSON-able evidence items with provenance, in the shape of the
        kommunebilde snapshot's ``EVIDENCE_PROVIDERS`` (profiles/snapshot.py)."""
        items: list[dict[str, Any]] = []
        for s in self.supervisions:
            open_then = s.closed_on is None or s.closed_on > self.on
            items.append(
                {
                    "kind": "supervision",
                    "authority": s.authority,
                    "reference": s.reference,
                    "topic": s.topic,
                    "type": s.supervision_type,
                    "carried_out_on": s.carried_out_on.isoformat() if s.carried_out_on else None,
                    "report_on": s.report_on.isoformat() if s.report_on else None,
                    "nonconformities": s.nonconformity_count,
                    "remarks": s.remark_count,
                    "status": "open" if open_then else "closed",
                    "closed_on": s.closed_on.isoformat() if s.closed_on and not open_then else None,
                    "source_url": s.report_url,
                }
            )
        for c in self.complaint_statistics:
            names = ("year", "received", "decided", "upheld", "reversed", "sent_back")
            items.append({"kind": "complaint_statistic", **{n: getattr(c, n) for n in names}})
        for p in self.plans:
            items.append(
                {
                    "kind": "plan",
                    "type": p.plan_type,
                    "adopted_on": p.plan.adopted_on.isoformat(),
                    "due": p.due.isoformat() if p.due else None,
                    "overdue": p.overdue,
                    "legal_basis": p.legal_basis,
                    "source_url": p.plan.url,
                }
            )
        if self.in_robek and self.robek is not None:
            items.append(
                {
                    "kind": "robek",
                    "grounds": self.robek.ground_letters,
                    "listed_since": self.robek.first_listed_on.isoformat(),
                    "source_url": self.robek.source_url,
                }
            )
        for co in self.cooperations:
            items.append(
                {
                    "kind": "cooperation",
                    "name": co.name,
                    "service_area": co.service_area,
                    "legal_form": co.legal_form,
                    "host": co.host.number if co.host else None,
                    "members": sorted(m.number for m in co.members.all()),
                }
            )
        return items


def supervisions_with_findings() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("findings", queryset=Finding.objects.order_by("kind", "position"))


def robek_on(municipality_ids: set[int] | list[int], on: dt.date) -> dict[int, RobekEntry]:
    """The ROBEK entries in force on ``on``: listed by then and not yet removed."""
    entries = RobekEntry.objects.filter(municipality__in=municipality_ids, first_listed_on__lte=on).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=on)
    )
    return {e.municipality_id: e for e in entries}


def for_municipalities(
    municipalities: list[Municipality], *, domains: list[Domain] | None = None, on: dt.date | None = None
) -> dict[tuple[int, Domain], DomainEvidence]:
    """Evidence for every (municipality, domain) pair, in a fixed number of queries."""
    on = on or timezone.localdate()
    wanted = domains or list(Domain)
    ids = [m.pk for m in municipalities]
    supervisions = (
        Supervision.objects.filter(municipality__in=ids, domain__in=wanted)
        .prefetch_related(supervisions_with_findings())
        .order_by("-carried_out_on", "-planned_on", "reference")
    )
    complaints = ComplaintStatistic.objects.filter(municipality__in=ids, domain__in=wanted).order_by("-year")
    plans = latest_plans(Plan.objects.filter(municipality__in=ids, adopted_on__lte=on))
    robek = robek_on(ids, on)
    cooperations = (
        Cooperation.objects.filter(members__in=ids)
        .filter(Q(domain__in=wanted) | Q(domain=""))
        .prefetch_related("members")
        .select_related("host")
        .distinct()
    )
    result = {
        (m.pk, d): DomainEvidence(municipality=m, domain=d, on=on, robek=robek.get(m.pk))
        for m in municipalities
        for d in wanted
    }
    for s in supervisions:
        result[(s.municipality_id, Domain(s.domain))].supervisions.append(s)
    for c in complaints:
        result[(c.municipality_id, Domain(c.domain))].complaint_statistics.append(c)
    plan_domain: dict[str, Domain] = {t.value: d for d in wanted for t in plan_types_for(d)}
    for p in plans:
        if p.plan_type in plan_domain:
            result[(p.municipality_id, plan_domain[p.plan_type])].plans.append(plan_status(p, on=on))
    for cooperation in cooperations:
        # A cooperation without a domain is context for every domain of its members.
        targets = [Domain(cooperation.domain)] if cooperation.domain else wanted
        for member in cooperation.members.all():
            for domain in targets:
                if (member.pk, domain) in result:
                    result[(member.pk, domain)].cooperations.append(cooperation)
    return result


def for_domain(municipality: Municipality, domain: Domain | str, *, on: dt.date | None = None) -> DomainEvidence:
    """What a domain assessment of ``municipality`` may rest on, as of ``on`` (default today)."""
    domain = Domain(domain)
    return for_municipalities([municipality], domains=[domain], on=on)[(municipality.pk, domain)]


def snapshot_items(assessment: Any, data_as_of: dt.date) -> list[dict[str, Any]]:
    """An evidence provider for the kommunebilde snapshot (profiles.snapshot.EVIDENCE_PROVIDERS).

    Not registered yet: which of these records a published page may show is the kommunebilde
    evidence issue's decision (the leak crawl treats their texts as internal until then).
    """
    domain = assessment.cycle_domain.domain
    if not domain:
        return []
    return for_domain(assessment.profile.municipality, domain, on=data_as_of).as_items()


def for_municipality(municipality: Municipality, *, on: dt.date | None = None) -> dict[Domain, DomainEvidence]:
    found = for_municipalities([municipality], on=on)
    return {domain: found[(municipality.pk, domain)] for domain in Domain}
