"""Region codes in SSB tables: what kind of region each is, and which current municipality an old
municipality code belongs to (through the register's code history)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from kommunedialog.registry import codes
from kommunedialog.registry.models import CodeChange
from kommunedialog.statistics.models import RegionKind, Stitch

_MUNICIPALITY_RE = re.compile(r"^(?:K-)?(\d{4})$")
_COUNTY_RE = re.compile(r"^(?:EKA|F-)(\d{2})$")
_GROUP_RE = re.compile(r"^EKG(\d{2})$")


@dataclass(frozen=True)
class Region:
    kind: RegionKind
    key: str  # municipality number, county number, "EKG07", or the code itself


def classify(code: str) -> Region:
    """``0301``/``K-0301`` a municipality, ``EKA46``/``F-46`` a county, ``EKG07`` a KOSTRA group,
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


@dataclass(frozen=True)
class Stitched:
    municipality: str  # the current number when the series carries over, else ""
    stitch: Stitch
    targets: tuple[str, ...] = ()  # the current numbers an unstitchable code fed


class Stitcher:
    """Carries municipality codes over to today's codes for one import.

    The destination comes from ``registry.codes.current_codes``; whether the figures may be carried
    over depends on the kind of change on the way: a renumbering keeps the municipality (Lørenskog
    0230 → 3029 → 3222), a merger or a split does not (Ålesund 1507 → 1508 + 1580), because a key
    figure of a part is not the figure of the whole.
    """

    def __init__(self) -> None:
        self._out: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
        feeders: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
        for old, new, on in CodeChange.objects.values_list("old_code", "new_code", "occurred_on"):
            if old == new:
                continue  # a rename keeps the code
            self._out[old].append((on, new))
            feeders[(new, on)].add(old)
        self._merged = {key for key, olds in feeders.items() if len(olds) > 1}
        self._cache: dict[tuple[str, int | None], Stitched] = {}
        self._shares: dict[str, tuple[codes.CodeShare, ...] | None] = {}

    def _current(self, code: str) -> tuple[codes.CodeShare, ...] | None:
        if code not in self._shares:
            try:
                self._shares[code] = tuple(codes.current_codes(code))
            except codes.UnknownCode:
                self._shares[code] = None
        return self._shares[code]

    def stitch(self, number: str, year: int | None) -> Stitched:
        key = (number, year)
        if key not in self._cache:
            self._cache[key] = self._stitch(number, year)
        return self._cache[key]

    def _stitch(self, number: str, year: int | None) -> Stitched:
        shares = self._current(number)
        if shares is None:
            return Stitched("", Stitch.UNKNOWN)
        targets = tuple(s.number for s in shares)
        # Follow the changes after the start of the period the figure is for (all of them when the code
        # was retired before that period, which a table should not do but sometimes does).
        since = dt.date(year, 1, 1) if year else None
        if since is not None and self._out.get(number) and not any(on > since for on, _ in self._out[number]):
            since = None
        code, merged, split = number, False, False
        while True:
            later = [(on, new) for on, new in self._out.get(code, ()) if since is None or on > since]
            if not later:
                break
            first = min(on for on, _ in later)
            step = [new for on, new in later if on == first]
            if len(step) > 1:
                split = True
                break
            merged = merged or (step[0], first) in self._merged
            code, since = step[0], first
        if split or len(shares) > 1:
            return Stitched("", Stitch.SPLIT, targets)
        if merged:
            return Stitched("", Stitch.MERGED, targets)
        if not shares:
            return Stitched("", Stitch.UNKNOWN)
        current = shares[0].number
        return Stitched(current, Stitch.SAME if current == number else Stitch.RENUMBERED, targets)
