"""Read-only queries for the public pages. Only public facts: nothing here joins to draft tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from kommunedialog.registry import codes
from kommunedialog.registry.models import CodeChange, County, Municipality, Office

SEARCH_LIMIT = 20


def offices_with_municipalities() -> QuerySet[Office]:
    current = Municipality.objects.current().order_by("name_norwegian")
    return Office.objects.prefetch_related(
        Prefetch("counties", queryset=County.objects.order_by("number")),
        Prefetch("counties__municipalities", queryset=current, to_attr="current_municipalities"),
    )


@dataclass(frozen=True)
class FormerCodeHit:
    number: str
    name: str
    successors: list[codes.CodeShare]


@dataclass(frozen=True)
class SearchResult:
    query: str
    municipalities: list[Municipality]
    former_codes: list[FormerCodeHit]

    @property
    def count(self) -> int:
        return len(self.municipalities) + len(self.former_codes)


def search(query: str) -> SearchResult:
    """Find current municipalities by number or any of their names, and former codes by number or name."""
    query = query.strip()[:100]
    if not query:
        return SearchResult(query, [], [])
    current = list(
        Municipality.objects.current()
        .select_related("county")
        .filter(Q(number__startswith=query) | Q(name__icontains=query))
        .order_by("name_norwegian")[:SEARCH_LIMIT]
    )
    found = {m.number for m in current}
    former_numbers = (
        CodeChange.objects.exclude(new_code=F("old_code"))
        .filter(Q(old_code=query) | Q(old_name__iexact=query))
        .exclude(old_code__in=found)
        .values_list("old_code", "old_name")
        .distinct()
    )
    former = [
        FormerCodeHit(number, name, codes.current_codes(number))
        for number, name in sorted(set(former_numbers))[:SEARCH_LIMIT]
    ]
    return SearchResult(query, current, former)


@dataclass(frozen=True)
class MunicipalityFacts:
    municipality: Municipality
    predecessors: list[codes.Predecessor]


def current_municipality(number: str) -> Municipality | None:
    return Municipality.objects.current().select_related("county__office", "kostra_group").filter(number=number).first()


def municipality_facts(number: str) -> MunicipalityFacts | None:
    municipality = current_municipality(number)
    if municipality is None:
        return None
    return MunicipalityFacts(municipality, codes.predecessors(number))


@dataclass(frozen=True)
class PopulationFact:
    value: int
    year: int


def population_fact(municipality: Municipality, statistics: Any) -> PopulationFact | None:
    """The population on 1 January as the page's own population table shows it (its latest year), so
    the fact and the table never quote different years; the register's figure where the table has none."""
    for section in statistics.domains:
        for item in section.indicators:
            latest = item.latest if item.indicator.key == "population" else None
            if latest is not None and latest.value is not None:
                return PopulationFact(round(latest.value), latest.year)
    if municipality.population is not None and municipality.population_year:
        return PopulationFact(municipality.population, municipality.population_year)
    return None
