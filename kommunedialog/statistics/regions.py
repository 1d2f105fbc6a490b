"""Region codes in statistics: what kind of region each is, and how an old municipality code reaches
today's municipalities through the register's code history.

The code history is read once per import into memory (a few hundred changes), so stitching a file of
tens of thousands of cells asks the database nothing per cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from kommunedialog.registry.models import CodeChange, Municipality
from kommunedialog.statistics.models import RegionKind, Stitch

_MUNICIPALITY_RE = re.compile(r"^(?:K-?)?(\d{4})$")
_COUNTY_RE = re.compile(r"^(?:EKA|F-)(\d{2})$")
_GROUP_RE = re.compile(r"^EKG(\d{2})$")


@dataclass(frozen=True)
class Region:
    kind: RegionKind
    key: str  # municipality number, county number, "EKG07", or the code itself


def classify(code: str) -> Region:
    """``0301``/``K-0301``/``K0301`` a municipality, ``EKA46``/``F-46`` a county, ``EKG07`` a KOSTRA group,
    ``EAK`` the country, ``EAKUO`` the country without Oslo; anything else (``K-Rest``, ``K-23``) other."""
    if not code:
        return Region(RegionKind.NONE, "")
    if match := _MUNICIPALITY_RE.match(code):
        return Region(RegionKind.MUNICIPALITY, match.group(1))
    if match := _COUNTY_RE.match(code):
        return Region(RegionKind.COUNTY, match.group(1))
    if _GROUP_RE.match(code):
        return Region(RegionKind.KOSTRA_GROUP, code)
    if code in ("EAK", "0"):
        return Region(RegionKind.COUNTRY, "EAK")
    if code == "EAKUO":
        return Region(RegionKind.COUNTRY_EXCL_OSLO, "EAKUO")
    return Region(RegionKind.OTHER, code)


def is_merged_series(code: str) -> bool:
    """``K-3001`` (SSB's ``agg_KommSummer``) and IMDi's ``K3001`` name a municipality's series back-cast to
    that code's territory, so earlier years under that code are not outside its validity."""
    return code.startswith("K")


@dataclass(frozen=True)
class Stitched:
    municipality: str  # the current number when the series carries over as it is, else ""
    stitch: Stitch
    targets: tuple[tuple[str, float], ...] = ()  # current numbers the code went into, with the share


@dataclass(frozen=True)
class _Edge:
    old: str
    new: str
    on: dt.date
    weight: Decimal


class Stitcher:
    """Carries municipality codes over to today's codes.

    A renumbering keeps the municipality (Lørenskog 0230 → 3029 → 3222): ``renumbered``. A merger or a
    split does not, because a key figure of a part is not the figure of the whole: the code is marked
    ``merged`` or ``split`` with the current municipalities it went into and the share that went to each
    (1507 Ålesund → 1508 Ålesund 0.5 + 1580 Haram 0.5); the import service combines such figures where
    they can be added up.
    """

    def __init__(self, *, today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self._out: dict[str, list[_Edge]] = defaultdict(list)
        self._in: dict[str, list[_Edge]] = defaultdict(list)
        edges = [_Edge(*row) for row in CodeChange.objects.values_list("old_code", "new_code", "occurred_on", "weight")]
        feeders: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
        for e in edges:
            feeders[(e.new, e.on)].add(e.old)
        self._merged = {key for key, olds in feeders.items() if len(olds) > 1}
        for e in edges:
            # A code kept through a merger (1103 Stavanger absorbing 1141 and 1142 in 2020) is an edge
            # from the old municipality to the new one; a code kept through a rename is no change at all.
            if e.old == e.new and (e.new, e.on) not in self._merged:
                continue
            self._out[e.old].append(e)
            self._in[e.new].append(e)
        self._versions = code_versions()
        self._current = {n for n, spans in self._versions.items() if any(self._covers(s, self.today) for s in spans)}
        self._cache: dict[tuple[str, int | None], Stitched] = {}
        self._shares: dict[str, tuple[tuple[str, float], ...] | None] = {}
        self._expected: dict[tuple[str, int], frozenset[str]] = {}

    @staticmethod
    def _covers(span: tuple[dt.date | None, dt.date | None], day: dt.date) -> bool:
        start, end = span
        return (start is None or start <= day) and (end is None or end > day)

    def known(self, code: str) -> bool:
        return code in self._versions or code in self._out

    def valid_in(self, code: str, year: int) -> bool:
        """Whether a version of ``code`` was in use at some time during ``year``."""
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return any(
            (start is None or start <= last) and (end is None or end > first) for start, end in self._versions[code]
        )

    def is_current(self, code: str) -> bool:
        return code in self._current

    def shares(self, code: str) -> tuple[tuple[str, float], ...] | None:
        """The current codes ``code`` became, with the share of it each received (None: unknown code)."""
        if code not in self._shares:
            self._shares[code] = self._compute_shares(code) if self.known(code) else None
        return self._shares[code]

    def _compute_shares(self, code: str) -> tuple[tuple[str, float], ...]:
        shares: dict[str, Decimal] = defaultdict(Decimal)
        frontier: list[tuple[str, dt.date | None, Decimal]] = [(code, None, Decimal(1))]
        seen: set[tuple[str, dt.date | None]] = set()
        while frontier:
            current, since, weight = frontier.pop()
            if (current, since) in seen:
                continue
            seen.add((current, since))
            later = [e for e in self._out.get(current, ()) if e.on <= self.today and (since is None or e.on > since)]
            if not later:
                shares[current] += weight
                continue
            first = min(e.on for e in later)
            frontier.extend((e.new, e.on, weight * e.weight) for e in later if e.on == first)
        return tuple(sorted((n, float(w)) for n, w in shares.items() if n in self._current))

    def stitch(self, number: str, year: int | None) -> Stitched:
        key = (number, year)
        if key not in self._cache:
            self._cache[key] = self._stitch(number, year)
        return self._cache[key]

    def _stitch(self, number: str, year: int | None) -> Stitched:
        shares = self.shares(number)
        if shares is None:
            return Stitched("", Stitch.UNKNOWN)
        # Follow the changes after the start of the period the figure is for (all of them when the code
        # was retired before that period, which a table should not do but sometimes does).
        since = dt.date(year, 1, 1) if year else None
        out = self._out.get(number, [])
        if since is not None and out and not any(e.on > since for e in out) and number not in self._current:
            since = None
        code, merged, split = number, False, False
        while True:
            later = [e for e in self._out.get(code, ()) if since is None or e.on > since]
            if not later:
                break
            first = min(e.on for e in later)
            step = [e.new for e in later if e.on == first]
            if len(step) > 1:
                split = True
                break
            merged = merged or (step[0], first) in self._merged
            code, since = step[0], first
        if split or len(shares) > 1:
            return Stitched("", Stitch.SPLIT, shares)
        if merged:
            return Stitched("", Stitch.MERGED, shares)
        if not shares:
            return Stitched("", Stitch.UNKNOWN)
        current = shares[0][0]
        return Stitched(current, Stitch.SAME if current == number else Stitch.RENUMBERED, shares)

    def whole_predecessor(self, code: str, year: int, present: set[str]) -> str | None:
        """For a file in today's codes: the old code a figure really belongs to when ``code`` came out of a
        split after ``year`` and its sibling parts have no figure (1508 Ålesund before 2024 standing for the
        whole of 1507, Haram included)."""
        day = dt.date(year, 1, 1)
        for edge in self._in.get(code, ()):
            if edge.on <= day:
                continue
            parts = {n for n, _ in self.shares(edge.old) or ()}
            if len(parts) > 1 and not parts <= present:
                return edge.old
        return None

    def expected(self, target: str, year: int) -> frozenset[str]:
        """The municipality codes in use on 1 January ``year`` that (in whole or part) became ``target``:
        the codes whose figures must all be present before a combined figure for ``target`` is complete."""
        key = (target, year)
        if key not in self._expected:
            day = dt.date(year, 1, 1)
            found: set[str] = set()
            seen: set[tuple[str, dt.date | None]] = set()
            frontier: list[tuple[str, dt.date | None]] = [(target, None)]
            while frontier:
                code, reached = frontier.pop()
                if (code, reached) in seen:
                    continue
                seen.add((code, reached))
                # The changes that built this version of the code after ``day`` (before we reached it).
                earlier = [e for e in self._in.get(code, ()) if e.on > day and (reached is None or e.on < reached)]
                if earlier:
                    frontier.extend((e.old, e.on) for e in earlier)
                elif self.valid_in(code, year):
                    found.add(code)
            self._expected[key] = frozenset(found)
        return self._expected[key]


def code_versions() -> dict[str, list[tuple[dt.date | None, dt.date | None]]]:
    """When each municipality code was in use, from the register — with the years before a merger that kept
    its code (1103 Stavanger before 2020, 0704 Tønsberg before 2017), which the register's versions begin
    at the merger."""
    versions: dict[str, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
    for number, start, end in Municipality.objects.values_list("number", "valid_from", "valid_to"):
        versions[number].append((start, end))
    for code, on in _kept_through_merger():
        spans, before = versions[code], on - dt.timedelta(days=1)
        if not any((s is None or s <= before) and (e is None or e > before) for s, e in spans):
            spans.append((None, on))
    return versions


def _kept_through_merger() -> list[tuple[str, dt.date]]:
    kept = CodeChange.objects.filter(old_code=F("new_code")).values_list("new_code", "occurred_on")
    return [(code, on) for code, on in kept if CodeChange.objects.filter(new_code=code, occurred_on=on).count() > 1]


def names_valid_on(on: dt.date) -> list[tuple[str, str, str, list[str]]]:
    """(number, official name, Norwegian name, other forms) of every code version in use on ``on``,
    including the pre-merger years of codes kept through a merger."""
    rows = list(Municipality.objects.valid_on(on).values_list("number", "name", "name_norwegian", "other_names"))
    present = {r[0] for r in rows}
    versions = code_versions()
    for code, merged_on in _kept_through_merger():
        covered = any((s is None or s <= on) and (e is None or e > on) for s, e in versions.get(code, ()))
        if code in present or merged_on <= on or not covered:
            continue
        change = CodeChange.objects.get(old_code=code, new_code=code, occurred_on=merged_on)
        rows.append((code, change.old_name, change.old_name.split(" - ")[0], []))
        present.add(code)
    return rows
