"""The office's internal overview for planning supervision: per domain, the municipalities with their
open findings, overdue plans, ROBEK and shared services.

Rows are in a fixed order (domain as listed, then municipality by name), never by how bad things
look: there is no score to sort by, and no "worst N".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.core.domains import Domain
from kommunedialog.oversight import evidence
from kommunedialog.oversight.evidence import DomainEvidence
from kommunedialog.oversight.tabular import csv_bytes, xlsx_bytes
from kommunedialog.profiles.models import Rating
from kommunedialog.profiles.public import latest_published_ratings
from kommunedialog.registry.models import Municipality, Office


class Show:
    RECORDS = "records"
    ATTENTION = "attention"
    ALL = "all"

    choices = (
        (RECORDS, gettext_lazy("Municipalities with records in the domain")),
        (ATTENTION, gettext_lazy("Only open findings, overdue plans or ROBEK")),
        (ALL, gettext_lazy("All municipalities")),
    )


@dataclass(frozen=True)
class OverviewFilter:
    domain: Domain | None = None
    municipality: Municipality | None = None
    show: str = Show.RECORDS


@dataclass(frozen=True)
class Row:
    evidence: DomainEvidence
    # The latest published rating of this domain, once the kommunebilde exists (see latest_ratings).
    latest_rating: Any = None

    @property
    def municipality(self) -> Municipality:
        return self.evidence.municipality

    @property
    def needs_attention(self) -> bool:
        e = self.evidence
        return bool(e.open_nonconformities or e.open_remarks or e.overdue_plans or e.in_robek)


@dataclass(frozen=True)
class DomainGroup:
    domain: Domain
    rows: list[Row]
    without_records: int  # municipalities left out because they have nothing in this domain


@dataclass(frozen=True)
class Overview:
    office: Office
    on: dt.date
    groups: list[DomainGroup]

    @property
    def has_ratings(self) -> bool:
        return any(row.latest_rating is not None for row in self.rows())

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    def rows(self) -> Iterator[Row]:
        for group in self.groups:
            yield from group.rows


def office_municipalities(office: Office) -> list[Municipality]:
    return list(Municipality.objects.current().filter(county__office=office).select_related("county"))


def latest_ratings(municipalities: list[Municipality]) -> dict[tuple[int, Domain], Any]:
    """The rating of each domain in each municipality's newest published kommunebilde, as its label."""
    found = latest_published_ratings([m.pk for m in municipalities])
    return {(mid, Domain(domain)): Rating(code).label for (mid, domain), code in found.items()}


def build(office: Office, filters: OverviewFilter, *, on: dt.date | None = None) -> Overview:
    on = on or timezone.localdate()
    municipalities = office_municipalities(office)
    if filters.municipality is not None:
        municipalities = [m for m in municipalities if m.pk == filters.municipality.pk]
    domains = [filters.domain] if filters.domain else list(Domain)
    found = evidence.for_municipalities(municipalities, domains=domains, on=on)
    ratings = latest_ratings(municipalities)
    groups = []
    for domain in domains:
        rows = [Row(found[(m.pk, domain)], ratings.get((m.pk, domain))) for m in municipalities]
        if filters.show == Show.ATTENTION:
            kept = [r for r in rows if r.needs_attention]
        elif filters.show == Show.RECORDS:
            kept = [r for r in rows if not r.evidence.is_empty]
        else:
            kept = rows
        groups.append(DomainGroup(domain, kept, len(rows) - len(kept)))
    return Overview(office, on, groups)


def _export_rows(overview: Overview) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Domain"),
        _("Municipality number"),
        _("Municipality"),
        _("Open supervisions"),
        _("Open nonconformities"),
        _("Open remarks"),
        _("Overdue plans"),
        _("ROBEK"),
        _("Complaints year"),
        _("Cases received"),
        _("Cases decided"),
        _("Upheld"),
        _("Reversed"),
        _("Sent back"),
        _("Inter-municipal cooperation"),
    ]
    rows = []
    for row in overview.rows():
        e = row.evidence
        complaints = e.latest_complaints
        rows.append(
            [
                str(e.domain.label),
                row.municipality.number,
                row.municipality.name,
                len(e.open_supervisions),
                e.open_nonconformities,
                e.open_remarks,
                "; ".join(str(p.plan.get_plan_type_display()) for p in e.overdue_plans),
                (_("Yes (%(grounds)s)") % {"grounds": e.robek.grounds.replace(",", ", ")})
                if e.in_robek and e.robek
                else "",
                complaints.year if complaints else "",
                complaints.received if complaints else "",
                complaints.decided if complaints else "",
                complaints.upheld if complaints else "",
                complaints.reversed if complaints else "",
                complaints.sent_back if complaints else "",
                "; ".join(f"{c.name} ({c.service_area})" for c in e.cooperations),
            ]
        )
    return headers, rows


def export(overview: Overview, fmt: str) -> bytes:
    headers, rows = _export_rows(overview)
    if fmt == "csv":
        return csv_bytes(headers, rows)
    note = [
        [_("Internal overview for planning supervision, %(office)s.") % {"office": overview.office.name}],
        [
            _("Data as of %(date)s. Not a ranking and not a total judgement of any municipality.")
            % {"date": date_format(overview.on)}
        ],
    ]
    return xlsx_bytes([(_("Overview"), headers, rows), (_("About"), [_("About this export")], note)])
