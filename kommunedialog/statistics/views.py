"""The indicator catalogue as a public page: what each figure means, where it comes from, whether its SSB
codes were checked against a recorded SSB answer, and how far the stored figures reach."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kommunedialog.core.domains import Domain
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue
from kommunedialog.statistics.catalogue import Indicator, Source
from kommunedialog.statistics.models import Observation


@dataclass
class Coverage:
    municipalities: int = 0
    first: int | None = None
    last: int | None = None


@dataclass
class Entry:
    indicator: Indicator
    sources: list[Source]  # read in order; the first with a figure counts
    inputs: list[Source]  # what the computation reads (population through the population indicator)
    coverage: Coverage = field(default_factory=Coverage)


def _coverage(indicators: list[Indicator]) -> dict[str, Coverage]:
    """Per indicator: how many of today's municipalities have a figure, and the years (two queries)."""
    current = set(Municipality.objects.current().values_list("number", flat=True))
    owners: dict[str, list[str]] = {}
    for indicator in indicators:
        for name in indicator.all_series:
            owners.setdefault(name, []).append(indicator.key)
    found: dict[str, set[str]] = {}
    years: dict[str, Coverage] = {i.key: Coverage() for i in indicators}
    rows = (
        Observation.objects.filter(series__in=list(owners), value__isnull=False)
        .exclude(municipality="")
        .values_list("series", "municipality")
        .distinct()
    )
    for name, number in rows:
        if number in current:
            for key in owners[name]:
                found.setdefault(key, set()).add(number)
    spans = (
        Observation.objects.filter(series__in=list(owners), value__isnull=False)
        .exclude(municipality="")
        .values("series")
        .annotate(first=Min("year"), last=Max("year"), n=Count("id"))
    )
    for span in spans:
        for key in owners[span["series"]]:
            cover = years[key]
            cover.first = min(filter(None, (cover.first, span["first"])), default=None)
            cover.last = max(filter(None, (cover.last, span["last"])), default=None)
    for key, cover in years.items():
        cover.municipalities = len(found.get(key, ()))
    return years


@require_safe
def catalogue_page(request: HttpRequest) -> HttpResponse:
    indicators = list(catalogue.indicators())
    coverage = _coverage([i for i in indicators if i.evidence is not catalogue.Evidence.OTHER])
    domains = []
    for domain in Domain:
        entries = [
            Entry(
                i,
                list(i.sources),
                list(
                    {
                        s.series: s for term in (*i.numerator, *i.denominator) for s in catalogue.term_sources(term)
                    }.values()
                ),
                coverage.get(i.key, Coverage()),
            )
            for i in indicators
            if i.domain == domain
        ]
        domains.append((domain, entries))
    unverified = sorted({s.series for i in indicators for s in i.unverified_sources})
    return render(
        request,
        "statistics/catalogue.html",
        {"domains": domains, "unverified": unverified, "count": len(indicators)},
    )
