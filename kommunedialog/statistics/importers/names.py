"""Municipalities and counties named by name only, matched through the register's historical names.

A file that names municipalities instead of numbering them belongs to one municipality structure (its
*vintage*): FHI's 2015 export names the 428 municipalities of 2016, NAV's Telemark extract the
municipalities of 2024. A name is matched against the code versions valid on the vintage date: the
Norwegian name, each Sámi or Kven form, or all of them together ("Kárásjohka Karasjok"); a homonym
carries its county in brackets ("Våler (Østfold)", "Herøy (Nordland)"), matched against the county the
code belonged to then (historical county names from FHI's redistricting table, today's from the
register). A name that matches nothing, or more than one municipality, is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

from django.conf import settings

from kommunedialog.registry.models import County
from kommunedialog.statistics.regions import names_valid_on

_BRACKET_RE = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
COUNTRY_NAMES = frozenset({"landet", "hele landet", "norge", "i alt"})
LOCATIONS_FILE = "regions/fhi-csdata-norway_locations.xlsx"


def normalise(text: str) -> str:
    """Lower case, one space, hyphens as spaces: names compare as people write them."""
    text = unicodedata.normalize("NFC", str(text)).replace("-", " ").replace("–", " ")
    return " ".join(text.lower().split())


def _fold(text: str) -> str:
    """Without diacritics (Kárášjohka and Kárásjohka are one name spelled two ways)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("æ", "ae").replace("å", "aa"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def historical_county_names(shared_data: Path) -> dict[str, frozenset[str]]:
    """County number -> its names over time, from FHI's redistricting table (01 Østfold … 54 Troms og
    Finnmark); empty when the file is not there (today's counties come from the register anyway)."""
    path = shared_data / LOCATIONS_FILE
    if not path.exists():
        return {}
    import openpyxl

    names: dict[str, set[str]] = defaultdict(set)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = [str(c) for c in next(rows)]
        code_at, name_at = header.index("county_code"), header.index("county_name")
        for row in rows:
            code, name = str(row[code_at] or ""), str(row[name_at] or "")
            number = code.rsplit("nor", 1)[-1]
            if number.isdigit() and name:
                names[number].add(normalise(name))
                names[number].add(normalise(name.split("-")[0]))
    finally:
        workbook.close()
    return {k: frozenset(v) for k, v in names.items()}


class NameMatcher:
    """Finds the municipality code a name had on ``on``; collects what it could not match."""

    def __init__(self, *, on: dt.date, shared_data: Path | None = None) -> None:
        self.on = on
        self.unmatched: list[str] = []
        self.ambiguous: list[str] = []
        self.matched: dict[str, str] = {}
        self._aliases: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, set[str]] = defaultdict(set)
        for number, name, norwegian, others in names_valid_on(on):
            parts = [p.strip() for p in name.split(" - ") if p.strip()]
            forms = {name, norwegian, " ".join(parts), *parts, *others}
            forms |= {_BRACKET_RE.sub(r"\1", f) for f in forms}
            for form in forms:
                self._aliases[normalise(form)].add(number)
                self._folded[_fold(normalise(form))].add(number)
        current: dict[str, set[str]] = defaultdict(set)
        for number, name in County.objects.values_list("number", "name"):
            current[number] |= {normalise(name), *(normalise(p) for p in name.split(" - "))}
        counties: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in current.items()})
        for number, names in historical_county_names(Path(shared_data or settings.SHARED_DATA_DIR)).items():
            counties[number] |= names
        self._current_counties, self._counties = current, counties

    def _candidates(self, base: str) -> set[str]:
        key = normalise(base)
        found = self._aliases.get(key) or self._folded.get(_fold(key))
        if found:
            return set(found)
        # "Porsanger Porsángu Porsanki", "Deatnu Tana": the forms written side by side without " - ".
        words = key.split()
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                part = " ".join(words[start : start + size])
                hit = self._aliases.get(part) or self._folded.get(_fold(part))
                if hit:
                    return set(hit)
        return set()

    def county_of(self, label: str) -> str | None:
        """The county number a county name stands for: today's county of that name, else a former one
        (Østfold is 31 today and was 01 until 2020)."""
        key = normalise(label)
        for counties in (self._current_counties, self._counties):
            found = [n for n, names in counties.items() if key in names]
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def match(self, label: str) -> str | None:
        """The municipality code for ``label``, or None (then ``unmatched``/``ambiguous`` say why)."""
        if label in self.matched:
            return self.matched[label]
        base, qualifier = label, ""
        if bracket := _BRACKET_RE.match(label.strip()):
            base, qualifier = bracket.group(1), normalise(bracket.group(2))
        candidates = self._candidates(base)
        if len(candidates) > 1 and qualifier:
            candidates = {c for c in candidates if qualifier in self._counties.get(c[:2], set())}
        if len(candidates) == 1:
            code = candidates.pop()
            self.matched[label] = code
            return code
        (self.ambiguous if candidates else self.unmatched).append(label)
        return None

    def problems(self, what: str) -> list[str]:
        problems = []
        if self.unmatched:
            problems.append(
                f"{what}: {len(self.unmatched)} names match no municipality valid on {self.on:%d.%m.%Y}: "
                + ", ".join(sorted(set(self.unmatched)))
            )
        if self.ambiguous:
            problems.append(
                f"{what}: {len(self.ambiguous)} names match more than one municipality valid on "
                f"{self.on:%d.%m.%Y}: " + ", ".join(sorted(set(self.ambiguous)))
            )
        return problems
