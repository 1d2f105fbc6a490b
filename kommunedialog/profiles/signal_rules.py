"""Signals: a proposed rating per domain from the evidence, with its reasons in words.

The rules are a table (below), each a plain condition over the domain's evidence that either stays
silent or says why it fires. A signal is an explanation, never a score: staff decide the rating, and
where they depart from the signal the editor asks them why (BRIEF §2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommunedialog.core.domains import Domain
from kommunedialog.profiles.models import Rating

SEVERITY = {Rating.GOOD: 0, Rating.IMPROVEMENT: 1, Rating.VULNERABLE: 2}


@dataclass(frozen=True)
class Rule:
    key: str
    proposes: Rating
    # Returns the reason in words when the rule fires, else None. ``evidence`` is oversight's
    # DomainEvidence (open supervisions, overdue plans, ROBEK …).
    condition: Callable[[Any], str | None]
    domains: frozenset[Domain] | None = None  # None: every domain


def _robek(e: Any) -> str | None:
    if not e.in_robek:
        return None
    return _("In ROBEK since %(date)s (kommuneloven § 28-1, letters %(grounds)s).") % {
        "date": f"{e.robek.first_listed_on:%d.%m.%Y}",
        "grounds": e.robek.grounds,
    }


def _findings(minimum: int) -> Callable[[Any], str | None]:
    def condition(e: Any) -> str | None:
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


def _overdue_plans(e: Any) -> str | None:
    if not e.overdue_plans:
        return None
    return _("Overdue: %(plans)s.") % {
        "plans": "; ".join(f"{p.plan.get_plan_type_display()} – {p.reason}" for p in e.overdue_plans)
    }


RULES = (
    Rule("robek", Rating.VULNERABLE, _robek, frozenset({Domain.ECONOMY})),
    Rule("many_open_nonconformities", Rating.VULNERABLE, _findings(3)),
    Rule("open_nonconformities", Rating.IMPROVEMENT, _findings(1)),
    Rule("overdue_plans", Rating.IMPROVEMENT, _overdue_plans),
)


@dataclass(frozen=True)
class Signal:
    proposed: Rating | None  # None: nothing in the evidence points either way
    reasons: list[str] = field(default_factory=list)

    def departs(self, rating: str) -> bool:
        """True when a rating disagrees with the signal (not assessing a domain is not a departure)."""
        return self.proposed is not None and rating not in {"", Rating.NOT_ASSESSED, self.proposed}


def signal_for(domain: str, evidence: Any) -> Signal:
    if evidence is None:
        return Signal(None)
    fired: list[tuple[Rule, str]] = []
    for rule in RULES:
        if rule.domains is not None and domain not in rule.domains:
            continue
        reason = rule.condition(evidence)
        if reason:
            fired.append((rule, reason))
    if not fired:
        return Signal(None)
    proposed = max((rule.proposes for rule, _reason in fired), key=SEVERITY.__getitem__)
    # The milder finding rule repeats what the stronger one says; keep each reason once.
    reasons = list(dict.fromkeys(reason for _rule, reason in fired))
    return Signal(proposed, reasons)
