"""Signals: a proposed rating per domain from the evidence, with its reasons in words.

The rules are a table (below), each a plain condition over the domain's evidence that either stays
silent or says why it fires. A signal is an explanation, never a score: staff decide the rating, and
where they depart from the signal the editor asks them why (BRIEF §2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommunedialog.core.domains import Domain
from kommunedialog.profiles.models import Rating
from kommunedialog.statistics.charts import format_value
from kommunedialog.statistics.queries import municipality_statistics
from kommunedialog.statistics.units import unit_text

SEVERITY = {Rating.GOOD: 0, Rating.IMPROVEMENT: 1, Rating.VULNERABLE: 2}


@dataclass(frozen=True)
class Rule:
    key: str
    proposes: Rating
    # Returns the reason in words when the rule fires, else None.
    condition: Callable[[Evidence], str | None]
    domains: frozenset[Domain] | None = None  # None: every domain


@dataclass(frozen=True)
class Evidence:
    """What the rules read: oversight's DomainEvidence (open supervisions, overdue plans, ROBEK …)
    and the statistics engine's figures by indicator key (``queries.IndicatorFigures``)."""

    oversight: Any
    figures: Mapping[str, Any] = field(default_factory=dict)


def _robek(evidence: Evidence) -> str | None:
    e = evidence.oversight
    if e is None or not e.in_robek:
        return None
    return _("In ROBEK since %(date)s (kommuneloven § 28-1, letters %(grounds)s).") % {
        "date": date_format(e.robek.first_listed_on),
        "grounds": e.robek.grounds,
    }


def _findings(minimum: int) -> Callable[[Any], str | None]:
    def condition(evidence: Evidence) -> str | None:
        e = evidence.oversight
        if e is None:
            return None
        n = e.open_nonconformities
        if n < minimum:
            return None
        topics = "; ".join(
            f"{s.topic} ({s.get_authority_display()})" for s in e.open_supervisions if s.nonconformity_count
        )
        return ngettext(
            "%(n)s open nonconformity from supervision: %(topics)s.",
            "%(n)s open nonconformities from supervisions: %(topics)s.",
            n,
        ) % {"n": n, "topics": topics}

    return condition


def _overdue_plans(evidence: Evidence) -> str | None:
    e = evidence.oversight
    if e is None or not e.overdue_plans:
        return None
    return _("Overdue: %(plans)s.") % {
        "plans": "; ".join(f"{p.plan.get_plan_type_display()} – {p.reason}" for p in e.overdue_plans)
    }


def _recent(year: int) -> bool:
    """A figure old enough to describe another municipality than today's gives no signal."""
    return year >= timezone.localdate().year - MAX_AGE_YEARS


def _below_every_year(key: str, threshold: float, years: int) -> Callable[[Evidence], str | None]:
    """Fires when each of the last ``years`` years with a figure lies below ``threshold``."""

    def condition(evidence: Evidence) -> str | None:
        item = evidence.figures.get(key)
        if item is None:
            return None
        recent = [f for f in item.figures if f.value is not None][-years:]
        if recent and not _recent(recent[-1].year):
            return None
        if len(recent) < years or any(f.value >= threshold for f in recent):
            return None
        decimals = item.indicator.decimals
        return _("%(name)s below %(threshold)s %(unit)s in %(years)s (%(values)s).") % {
            "name": item.indicator.label,
            "threshold": format_value(threshold, 0 if float(threshold).is_integer() else 2),
            "unit": unit_text(item.indicator.unit),
            "years": ", ".join(str(f.year) for f in recent),
            "values": "; ".join(format_value(f.value, decimals) for f in recent),
        }

    return condition


def _worse_than_peer_quartile(key: str) -> Callable[[Evidence], str | None]:
    """Fires when the latest figure lies on the worse side of the KOSTRA group's middle half: above
    its upper quartile where lower is better, below its lower quartile where higher is better."""

    def condition(evidence: Evidence) -> str | None:
        item = evidence.figures.get(key)
        if item is None or item.latest is None:
            return None
        latest = item.latest
        if not _recent(latest.year):
            return None
        peers = item.aggregate("kostra_group", latest.year)
        if peers is None or peers.q1 is None or peers.q3 is None:
            return None
        polarity, decimals = item.indicator.polarity.value, item.indicator.decimals
        values = {
            "name": item.indicator.label,
            "year": latest.year,
            "value": format_value(latest.value, decimals),
            "unit": unit_text(item.indicator.unit),
        }
        if polarity == "lower_better" and latest.value > peers.q3:
            return _(
                "%(name)s %(year)s: %(value)s %(unit)s, above the KOSTRA group's upper quartile (%(quartile)s)."
            ) % {**values, "quartile": format_value(peers.q3, decimals)}
        if polarity == "higher_better" and latest.value < peers.q1:
            return _(
                "%(name)s %(year)s: %(value)s %(unit)s, below the KOSTRA group's lower quartile (%(quartile)s)."
            ) % {**values, "quartile": format_value(peers.q1, decimals)}
        return None

    return condition


# Indicators whose position against the peer group says something about capacity or quality on its
# own; spending levels are left out, since spending more or less is neither good nor bad in itself.
PEER_QUARTILE_INDICATORS = {
    "gp_waiting_list_share": Domain.HEALTH_CARE,
    "gp_spare_capacity": Domain.HEALTH_CARE,
    "doctor_hours_per_resident": Domain.HEALTH_CARE,
    "child_welfare_qualified_staff": Domain.CHILD_WELFARE,
    "kindergarten_children_per_staff": Domain.EDUCATION,
    "kindergarten_teacher_share": Domain.EDUCATION,
    "lower_secondary_points": Domain.EDUCATION,
    "working_capital_pct": Domain.ECONOMY,
    "free_equity_pct": Domain.ECONOMY,
}
# Fixed levels a figure should not stay under (indicator -> level, the years running it must be under).
FIXED_LEVELS = {
    # The technical calculation committee (TBU) recommends at least 1.75 % over time.
    "net_operating_result_pct": (1.75, 3),
    # Below 100 the GP lists are full: inhabitants cannot choose or change their GP.
    "gp_spare_capacity": (100.0, 2),
}
# A figure older than this (years before the current one) gives no signal: it describes the past.
MAX_AGE_YEARS = 5

RULES = (
    Rule("robek", Rating.VULNERABLE, _robek, frozenset({Domain.ECONOMY})),
    Rule("many_open_nonconformities", Rating.VULNERABLE, _findings(3)),
    Rule("open_nonconformities", Rating.IMPROVEMENT, _findings(1)),
    Rule("overdue_plans", Rating.IMPROVEMENT, _overdue_plans),
    Rule(
        "net_operating_result_low",
        Rating.IMPROVEMENT,
        _below_every_year("net_operating_result_pct", *FIXED_LEVELS["net_operating_result_pct"]),
        frozenset({Domain.ECONOMY}),
    ),
    Rule(
        "gp_lists_full",
        Rating.IMPROVEMENT,
        _below_every_year("gp_spare_capacity", *FIXED_LEVELS["gp_spare_capacity"]),
        frozenset({Domain.HEALTH_CARE}),
    ),
    *(
        Rule(f"peer_quartile:{key}", Rating.IMPROVEMENT, _worse_than_peer_quartile(key), frozenset({domain}))
        for key, domain in PEER_QUARTILE_INDICATORS.items()
    ),
)


@dataclass(frozen=True)
class Signal:
    proposed: Rating | None  # None: nothing in the evidence points either way
    reasons: list[str] = field(default_factory=list)

    def departs(self, rating: str) -> bool:
        """True when a rating disagrees with the signal (not assessing a domain is not a departure)."""
        return self.proposed is not None and rating not in {"", Rating.NOT_ASSESSED, self.proposed}


def signal_for(domain: str, evidence: Any, figures: Mapping[str, Any] | None = None) -> Signal:
    """``evidence`` is oversight's DomainEvidence for the domain; ``figures`` the domain's statistics
    by indicator key (see ``figures_by_domain``)."""
    if evidence is None and not figures:
        return Signal(None)
    both = Evidence(evidence, figures or {})
    fired: list[tuple[Rule, str]] = []
    for rule in RULES:
        if rule.domains is not None and domain not in rule.domains:
            continue
        reason = rule.condition(both)
        if reason:
            fired.append((rule, reason))
    if not fired:
        return Signal(None)
    proposed = max((rule.proposes for rule, _reason in fired), key=SEVERITY.__getitem__)
    # The milder finding rule repeats what the stronger one says; keep each reason once.
    reasons = list(dict.fromkeys(reason for _rule, reason in fired))
    return Signal(proposed, reasons)


def on_signal_side(key: str, polarity: str, value: float | None, q1: float | None, q3: float | None) -> bool | None:
    """Whether one figure lies where an indicator's signal rule looks: under its fixed level, or on the
    worse side of the KOSTRA group's middle half. None: no rule reads this indicator (or no figure)."""
    if value is None:
        return None
    if key in FIXED_LEVELS:
        return value < FIXED_LEVELS[key][0]
    if key in PEER_QUARTILE_INDICATORS:
        if polarity == "lower_better" and q3 is not None:
            return value > q3
        if polarity == "higher_better" and q1 is not None:
            return value < q1
    return None


def figures_by_domain(municipality: Any, domain: str | None = None) -> dict[str, dict[str, Any]]:
    """The statistics the rules read, for one domain or all: domain -> indicator key -> figures."""
    stats = municipality_statistics(municipality, domain=domain)
    return {d.domain.value: {item.indicator.key: item for item in d.indicators} for d in stats.domains}
