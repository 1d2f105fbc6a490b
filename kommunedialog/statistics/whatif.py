"""Municipal-structure what-if: two or more neighbouring municipalities seen as one, figure by figure.

The merged unit's figure is computed the way the indicator allows, and the method is said beside it:

- counts and amounts (``aggregation: sum``): the members' sum;
- computed ratios (``aggregation: ratio``, each member's figure computed from a numerator and a
  denominator): the members' numerators summed over their denominators summed, times the scale —
  never a mean of the ratios;
- key figures (``weighted_mean``): the members' mean weighted by their population in the same year;
- flags and classes (``none``): no merged figure; the members are shown.

Only a year in which every member has a figure gives a merged figure. Nothing is ranked: the members
are listed alphabetically.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from kommunedialog.core.domains import Domain
from kommunedialog.registry.models import County, KostraGroup, Municipality, Neighbour
from kommunedialog.statistics import catalogue
from kommunedialog.statistics.catalogue import Aggregation, Evidence, Indicator
from kommunedialog.statistics.models import Aggregate
from kommunedialog.statistics.queries import Figure, _figures

MAX_MEMBERS = 12
Method = Aggregate.Method


class WhatIfError(ValueError):
    """The chosen municipalities cannot be merged in the what-if (said in words the page shows)."""


@dataclass(frozen=True)
class MergedFigure:
    indicator: Indicator
    year: int | None
    method: str  # an Aggregate.Method value
    value: float | None
    members: list[float | None]  # in the members' order
    numerator: float | None = None
    denominator: float | None = None

    @property
    def method_label(self) -> str:
        return str(Method(self.method).label)


@dataclass
class DomainRows:
    domain: Domain
    rows: list[MergedFigure]


@dataclass
class WhatIf:
    members: list[Municipality]  # alphabetical
    domains: list[DomainRows]
    kostra_groups: list[KostraGroup] = field(default_factory=list)
    counties: list[County] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return [m.number for m in self.members]

    @property
    def names(self) -> str:
        return ", ".join(m.name_norwegian for m in self.members)

    @property
    def rows(self) -> list[MergedFigure]:
        return [r for d in self.domains for r in d.rows]

    def row(self, key: str) -> MergedFigure:
        return next(r for r in self.rows if r.indicator.key == key)


def parse_numbers(raw: str | list[str]) -> list[str]:
    """``"1133,1134"`` or ``["1133", "1134"]`` → distinct four-digit numbers, in the order given."""
    items = raw.split(",") if isinstance(raw, str) else [p for part in raw for p in part.split(",")]
    found: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if not (item.isdigit() and len(item) == 4):
            raise WhatIfError(_("“%(code)s” is not a municipality number (four digits).") % {"code": item[:20]})
        if item not in found:
            found.append(item)
    return found


def neighbours_of(numbers: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {n: set() for n in numbers}
    for first, second in Neighbour.objects.filter(Q(first__in=numbers) | Q(second__in=numbers)).values_list(
        "first", "second"
    ):
        found.setdefault(first, set()).add(second)
        found.setdefault(second, set()).add(first)
    return found


def choose(numbers: list[str]) -> list[Municipality]:
    """The current municipalities named, if they are at least two and form one connected area of
    neighbours; else ``WhatIfError`` saying what is wrong."""
    if len(numbers) < 2:
        raise WhatIfError(_("Choose at least two neighbouring municipalities."))
    if len(numbers) > MAX_MEMBERS:
        raise WhatIfError(_("Choose at most %(count)s municipalities.") % {"count": MAX_MEMBERS})
    members = list(Municipality.objects.current().filter(number__in=numbers).select_related("county", "kostra_group"))
    unknown = sorted(set(numbers) - {m.number for m in members})
    if unknown:
        raise WhatIfError(_("No current municipality has the number %(codes)s.") % {"codes": ", ".join(unknown)})
    members.sort(key=lambda m: (m.name_norwegian, m.number))
    adjacent = neighbours_of(numbers)
    reached = {members[0].number}
    queue = deque(reached)
    while queue:
        for other in adjacent.get(queue.popleft(), set()) & set(numbers):
            if other not in reached:
                reached.add(other)
                queue.append(other)
    apart = [m for m in members if m.number not in reached]
    if apart:
        raise WhatIfError(
            _("%(apart)s do not border on %(first)s or the others chosen: the municipalities must form one area.")
            % {"apart": ", ".join(m.name_norwegian for m in apart), "first": members[0].name_norwegian}
        )
    return members


def _ratio_parts(figure: Figure) -> tuple[float, float, float] | None:
    """A computed figure's summed numerator, summed denominator and scale, from the inputs it keeps."""
    inputs = figure.inputs or {}
    try:
        top = sum(float(t["value"]) for t in inputs["numerator"])
        bottom = sum(float(t["value"]) for t in inputs["denominator"])
        return top, bottom, float(inputs.get("scale", 1))
    except (KeyError, TypeError, ValueError):
        return None


def _merge(indicator: Indicator, figures: list[dict[int, Figure]], population: list[dict[int, float]]) -> MergedFigure:
    years = set.intersection(*({y for y, f in by_year.items() if f.value is not None} for by_year in figures))
    if indicator.aggregation is Aggregation.NONE:
        latest = max({y for by_year in figures for y, f in by_year.items() if f.value is not None}, default=None)
        members = [by_year[latest].value if latest in by_year else None for by_year in figures]
        return MergedFigure(indicator, latest, Method.NOT_MEANINGFUL, None, members)
    if not years:
        return MergedFigure(indicator, None, Method.NO_DATA, None, [None] * len(figures))
    year = max(years)
    found = [by_year[year] for by_year in figures]
    values: list[float] = [float(f.value) for f in found if f.value is not None]
    shown: list[float | None] = list(values)
    if indicator.aggregation is Aggregation.SUM:
        return MergedFigure(indicator, year, Method.SUM, sum(values), shown)
    if indicator.aggregation is Aggregation.RATIO:
        parts = [_ratio_parts(f) if f.is_computed else None for f in found]
        complete = [p for p in parts if p is not None]
        if len(complete) == len(parts):
            top = sum(p[0] for p in complete)
            bottom = sum(p[1] for p in complete)
            if bottom > 0:
                return MergedFigure(indicator, year, Method.RATIO, top / bottom * complete[0][2], shown, top, bottom)
    weights = [by_year.get(year) for by_year in population]
    known = [w for w in weights if w is not None and w > 0]
    if len(known) != len(weights):
        return MergedFigure(indicator, year, Method.INSUFFICIENT, None, shown)
    merged = sum(v * w for v, w in zip(values, known, strict=True)) / sum(known)
    return MergedFigure(indicator, year, Method.WEIGHTED_MEAN, merged, shown)


def what_if(numbers: list[str]) -> WhatIf:
    """The merged unit's figures beside each member's, per domain; ``WhatIfError`` if the choice is not
    two or more neighbouring current municipalities."""
    members = choose(numbers)
    indicators = [i for i in catalogue.indicators() if i.evidence is not Evidence.OTHER]
    per_member = [_figures(m, indicators)[0] for m in members]
    by_year = [{key: {f.year: f for f in found} for key, found in figures.items()} for figures in per_member]
    population: list[dict[int, float]] = []
    for m, figures in zip(members, by_year, strict=True):
        held = {y: float(f.value) for y, f in figures.get("population", {}).items() if f.value is not None}
        if m.population and m.population_year and m.population_year not in held:
            held[m.population_year] = float(m.population)
        population.append(held)
    domains = []
    for domain in Domain:
        rows = []
        for indicator in (i for i in indicators if i.domain == domain):
            member_figures = [figures.get(indicator.key, {}) for figures in by_year]
            if not any(f.value is not None for found in member_figures for f in found.values()):
                continue
            rows.append(_merge(indicator, member_figures, population))
        if rows:
            domains.append(DomainRows(domain, rows))
    groups = {m.kostra_group.pk: m.kostra_group for m in members if m.kostra_group}
    counties = {m.county.pk: m.county for m in members if m.county}
    return WhatIf(
        members=members,
        domains=domains,
        kostra_groups=sorted(groups.values(), key=lambda g: g.code),
        counties=sorted(counties.values(), key=lambda c: c.number),
    )
