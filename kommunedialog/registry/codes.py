"""Answers about the code history: where an old code went, and which old codes feed a current one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from kommunedialog.registry.models import CodeChange, Municipality

WEIGHT = Decimal("0.0001")


class UnknownCode(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(f"Municipality code {code!r} is neither in the register nor in its code history")
        self.code = code


@dataclass(frozen=True)
class CodeShare:
    """A current code and the share of the old municipality that went into it."""

    number: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class Predecessor:
    """An old code that fed ``became`` on ``occurred_on``; ``weight`` is the share that went on to the
    current code, multiplied along the chain."""

    number: str
    name: str
    became: str
    occurred_on: dt.date
    weight: Decimal


def _edges_from(code: str, after: dt.date | None, until: dt.date) -> list[CodeChange]:
    """The changes that ended this code version: the first change date after ``after``."""
    edges = CodeChange.objects.exclude(new_code=code).filter(old_code=code, occurred_on__lte=until)
    if after is not None:
        edges = edges.filter(occurred_on__gt=after)
    first = edges.order_by("occurred_on").values_list("occurred_on", flat=True).first()
    return list(edges.filter(occurred_on=first)) if first else []


def current_codes(old_code: str, *, on: dt.date | None = None) -> list[CodeShare]:
    """The codes valid on ``on`` (today by default) that ``old_code`` became, with weights.

    A current code answers itself; a renumbered one its successor; a split one each part
    (1507 Ålesund → 1508 Ålesund 0.5 + 1580 Haram 0.5).
    """
    on = on or timezone.localdate()
    if not (
        Municipality.objects.filter(number=old_code).exists() or CodeChange.objects.filter(old_code=old_code).exists()
    ):
        raise UnknownCode(old_code)
    shares: dict[str, Decimal] = {}
    # (code, the date we reached it, accumulated weight); `seen` guards against cycles in bad data.
    frontier: list[tuple[str, dt.date | None, Decimal]] = [(old_code, None, Decimal(1))]
    seen: set[tuple[str, dt.date | None]] = set()
    while frontier:
        code, since, weight = frontier.pop()
        if (code, since) in seen:
            continue
        seen.add((code, since))
        edges = _edges_from(code, since, on)
        if not edges:
            shares[code] = shares.get(code, Decimal(0)) + weight
            continue
        frontier.extend((e.new_code, e.occurred_on, weight * e.weight) for e in edges)
    valid = {m.number: m for m in Municipality.objects.valid_on(on).filter(number__in=shares)}
    return [
        CodeShare(number=n, name=valid[n].name, weight=w.quantize(WEIGHT))
        for n, w in sorted(shares.items())
        if n in valid
    ]


def predecessors(number: str, *, since: dt.date | None = None) -> list[Predecessor]:
    """Every old code that fed ``number``, newest change first, following chains back through history."""
    found: list[Predecessor] = []
    frontier: list[tuple[str, dt.date | None, Decimal]] = [(number, since, Decimal(1))]
    seen: set[tuple[str, str, dt.date]] = set()
    while frontier:
        code, before, weight = frontier.pop()
        edges = CodeChange.objects.filter(new_code=code).exclude(old_code=code)
        if before is not None:
            # Only changes that fed this version of the code, not an earlier use of the same number.
            edges = edges.filter(occurred_on__lte=before)
        for edge in edges:
            key = (edge.old_code, edge.new_code, edge.occurred_on)
            if key in seen:
                continue
            seen.add(key)
            share = weight * edge.weight
            found.append(Predecessor(edge.old_code, edge.old_name, code, edge.occurred_on, share.quantize(WEIGHT)))
            frontier.append((edge.old_code, edge.occurred_on - dt.timedelta(days=1), share))
    return sorted(found, key=lambda p: (-p.occurred_on.toordinal(), p.number))


def successors_of(number: str) -> list[CodeChange]:
    """The changes that ended this code (empty for a code still in use)."""
    return list(CodeChange.objects.filter(old_code=number).exclude(new_code=number))
