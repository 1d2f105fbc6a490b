"""The indicator catalogue as a public page: what each figure means, where it comes from, whether its SSB
codes were checked against a recorded SSB answer, and how far the stored figures reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kommunedialog.core.domains import Domain
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, whatif
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


class WhatIfForm(forms.Form):
    m = forms.MultipleChoiceField(
        label=_("Municipalities"),
        help_text=_("Choose two or more municipalities that border on each other (hold Ctrl or ⌘ to choose several)."),
        widget=forms.SelectMultiple(attrs={"class": "ds-input", "size": 12}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = Municipality.objects.current().order_by("name_norwegian", "number")
        choices = [(m.number, f"{m.name_norwegian} ({m.number})") for m in current]
        self.fields["m"].choices = choices  # type: ignore[attr-defined]


def _bordering(numbers: list[str]) -> list[Municipality]:
    """The current municipalities that border on any of these, alphabetically (not these themselves)."""
    adjacent = whatif.neighbours_of(numbers)
    others = set().union(*adjacent.values()) - set(numbers)
    return list(Municipality.objects.current().filter(number__in=others).order_by("name_norwegian"))


@require_safe
def what_if_show(request: HttpRequest) -> HttpResponse:
    """Municipal-structure what-if: the chosen neighbours' figures as one municipality, beside each of them.
    A GET form, so it works without JavaScript and a result can be linked to."""
    form = WhatIfForm(request.GET if "m" in request.GET else None)
    result, start, around = None, None, []
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["m"]
        if len(chosen) == 1:
            # One municipality (the link from its own page): offer its neighbours to merge with, no error yet.
            start, around = Municipality.objects.current().get(number=chosen[0]), chosen
        else:
            try:
                result = whatif.what_if(chosen)
            except whatif.WhatIfError as exc:
                form.add_error("m", str(exc))
            else:
                around = result.numbers
    suggestions = _bordering(around) if around else []
    return render(
        request,
        "statistics/what_if.html",
        {"form": form, "result": result, "start": start, "suggestions": suggestions},
        status=400 if form.errors else 200,
    )
