"""The ministry's national picture: per office, how far the kommunebilder have come; per domain and
office, how many municipalities were rated in each category.

Counts per office only. No municipality is named here, and nothing is ordered by a rating: offices are
listed by name, domains in their national order, categories in their fixed order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.core.domains import Domain
from kommunedialog.oversight.tabular import csv_bytes
from kommunedialog.profiles.models import Cycle, Profile, PublishedProfile, Rating
from kommunedialog.profiles.public import latest_published_ratings
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office

# The categories in their fixed order (never sorted by how many fall in each).
CATEGORIES = [Rating.GOOD, Rating.IMPROVEMENT, Rating.VULNERABLE, Rating.NOT_ASSESSED]
FINISHED = frozenset({State.PUBLISHED, State.SUPERSEDED})


@dataclass(frozen=True)
class OfficeRow:
    office: Office
    municipalities: int  # current municipalities in the office's counties
    published: int  # of them, with a published kommunebilde from this office
    latest_published_on: dt.date | None
    oldest_published_on: dt.date | None  # the oldest of the current kommunebilder
    cycles_in_progress: int  # cycles with a kommunebilde not yet published
    consultations_asked: int  # kommunebilder sent on consultation
    consultations_answered: int  # of them, with at least one submitted response
    on: dt.date

    @property
    def latest_age_days(self) -> int | None:
        return None if self.latest_published_on is None else (self.on - self.latest_published_on).days

    @property
    def oldest_age_days(self) -> int | None:
        return None if self.oldest_published_on is None else (self.on - self.oldest_published_on).days

    @property
    def response_rate(self) -> int | None:
        """Answered per asked, in whole per cent (None when nothing was asked)."""
        if not self.consultations_asked:
            return None
        return round(100 * self.consultations_answered / self.consultations_asked)


@dataclass(frozen=True)
class OfficeRatings:
    office: Office
    counts: list[int]  # one per category in CATEGORIES

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class DomainRatings:
    domain: Domain
    offices: list[OfficeRatings]


@dataclass(frozen=True)
class NationalPicture:
    on: dt.date
    offices: list[OfficeRow]
    domains: list[DomainRatings]

    @property
    def municipalities(self) -> int:
        return sum(r.municipalities for r in self.offices)

    @property
    def published(self) -> int:
        return sum(r.published for r in self.offices)


def _office_municipalities() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for pk, office_id in Municipality.objects.current().values_list("pk", "county__office_id"):
        if office_id is not None:
            found.setdefault(office_id, []).append(pk)
    return found


def _current_snapshots(office_ids: dict[int, list[int]]) -> dict[int, dict[int, dt.date]]:
    """Per office: each current municipality's newest publication date from that office."""
    current = {m for ids in office_ids.values() for m in ids}
    dates: dict[int, dict[int, dt.date]] = {}
    for office_id, municipality_id, published_at in PublishedProfile.objects.filter(
        municipality_id__in=current
    ).values_list("office_id", "municipality_id", "published_at"):
        day = timezone.localdate(published_at)
        seen = dates.setdefault(office_id, {})
        if municipality_id not in seen or seen[municipality_id] < day:
            seen[municipality_id] = day
    return dates


def build(*, on: dt.date | None = None) -> NationalPicture:
    on = on or timezone.localdate()
    offices = list(Office.objects.order_by("name"))
    per_office = _office_municipalities()
    published = _current_snapshots(per_office)
    in_progress = Counter(
        Cycle.objects.filter(profiles__in=Profile.objects.exclude(state__in=FINISHED))
        .distinct()
        .values_list("office_id", flat=True)
    )
    asked: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    sent = Profile.objects.filter(consultation_sent_at__isnull=False).annotate(
        answers=Count("consultation_responses", filter=Q(consultation_responses__submitted_at__isnull=False))
    )
    for office_id, answers in sent.values_list("cycle__office_id", "answers"):
        asked[office_id] += 1
        answered[office_id] += 1 if answers else 0
    rows = []
    for office in offices:
        mine = set(per_office.get(office.pk, []))
        dates = [d for m, d in published.get(office.pk, {}).items() if m in mine]
        rows.append(
            OfficeRow(
                office=office,
                municipalities=len(mine),
                published=len(dates),
                latest_published_on=max(dates, default=None),
                oldest_published_on=min(dates, default=None),
                cycles_in_progress=in_progress[office.pk],
                consultations_asked=asked[office.pk],
                consultations_answered=answered[office.pk],
                on=on,
            )
        )
    return NationalPicture(on=on, offices=rows, domains=_domain_ratings(offices, per_office))


def _domain_ratings(offices: list[Office], per_office: dict[int, list[int]]) -> list[DomainRatings]:
    """How many of each office's municipalities had each category in their newest published picture."""
    counts: Counter[tuple[str, int, str]] = Counter()
    for office in offices:
        ids = per_office.get(office.pk, [])
        for (_municipality, domain), rating in latest_published_ratings(ids).items():
            counts[(domain, office.pk, rating)] += 1
    return [
        DomainRatings(
            domain=domain,
            offices=[
                OfficeRatings(office, [counts[(domain.value, office.pk, c.value)] for c in CATEGORIES])
                for office in offices
            ],
        )
        for domain in Domain
    ]


def offices_csv(picture: NationalPicture) -> bytes:
    headers = [
        _("Office"),
        _("Municipalities"),
        _("With a published kommunebilde"),
        _("Latest publication"),
        _("Days since the latest publication"),
        _("Oldest current publication"),
        _("Days since the oldest current publication"),
        _("Cycles in progress"),
        _("Sent on consultation"),
        _("Answered"),
        _("Response rate (%)"),
    ]
    rows = [
        [
            r.office.name,
            r.municipalities,
            r.published,
            r.latest_published_on,
            r.latest_age_days,
            r.oldest_published_on,
            r.oldest_age_days,
            r.cycles_in_progress,
            r.consultations_asked,
            r.consultations_answered,
            r.response_rate,
        ]
        for r in picture.offices
    ]
    return csv_bytes(headers, rows)


def domains_csv(picture: NationalPicture) -> bytes:
    headers = [_("Domain"), _("Office"), *[str(c.label) for c in CATEGORIES], _("Rated municipalities")]
    rows = [[str(d.domain.label), o.office.name, *o.counts, o.total] for d in picture.domains for o in d.offices]
    return csv_bytes(headers, rows)
