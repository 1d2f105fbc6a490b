"""The indicator catalogue (catalogue.yaml): loaded once, validated strictly, read everywhere.

Every problem in the file is collected and reported together, so an editor fixes them in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from kommunedialog.core.domains import Domain
from kommunedialog.core.languages import localised

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{2,60}$")
_TABLE_RE = re.compile(r"^\d{5}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9_.\-+]{1,80}$")


class Polarity(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    NEUTRAL = "neutral"


class Aggregation(StrEnum):
    WEIGHTED_MEAN = "weighted_mean"
    SUM = "sum"
    NONE = "none"


class Evidence(StrEnum):
    SSB = "ssb"
    OTHER = "other"


class CatalogueError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("The indicator catalogue has problems:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Indicator:
    key: str
    domain: Domain
    evidence: Evidence
    name: Mapping[str, str]
    definition: Mapping[str, str]
    unit: str
    decimals: int
    polarity: Polarity
    aggregation: Aggregation
    source_url: str
    table: str = ""
    content: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    publisher: str = "Statistisk sentralbyrå"
    checked: str = ""

    @cached_property
    def filters_key(self) -> str:
        return filters_key(self.filters)

    @cached_property
    def series(self) -> str:
        """The key observations of this indicator are stored under (see models.Observation.series)."""
        return series_key(self.table, self.content, self.filters_key) if self.evidence is Evidence.SSB else ""

    def localised(self, texts: Mapping[str, str], language: str | None = None) -> str:
        return localised(texts, language)

    @property
    def label(self) -> str:
        return self.localised(self.name)

    @property
    def description(self) -> str:
        return self.localised(self.definition)


def filters_key(filters: Mapping[str, str]) -> str:
    return "&".join(f"{k}={filters[k]}" for k in sorted(filters))


def series_key(table: str, content: str, filters: str) -> str:
    return f"{table}/{content}/{filters}"


def _texts(raw: Any, where: str, languages: tuple[str, ...], problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must give the text per language ({', '.join(languages)})")
        return {}
    for language in languages:
        if not isinstance(raw.get(language), str) or not raw[language].strip():
            problems.append(f"{where}: the {language} text is missing")
    return {k: str(v).strip() for k, v in raw.items() if isinstance(v, str)}


def _choice(enum: type[StrEnum], raw: Any, where: str, problems: list[str]) -> Any:
    try:
        return enum(raw)
    except ValueError:
        problems.append(f"{where}: {raw!r} is not one of {', '.join(e.value for e in enum)}")
        return next(iter(enum))


def _indicator(raw: Any, problems: list[str]) -> Indicator | None:
    if not isinstance(raw, dict):
        problems.append(f"every indicator must be a mapping, found {raw!r}")
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        problems.append(f"indicator key {key!r} must be lower_snake_case")
        key = str(key)
    where = f"indicator {key}"
    domain = _choice(Domain, raw.get("domain"), f"{where}: domain", problems)
    evidence = _choice(Evidence, raw.get("evidence"), f"{where}: evidence", problems)
    decimals = raw.get("decimals")
    if type(decimals) is not int or not 0 <= decimals <= 6:
        problems.append(f"{where}: decimals must be a whole number from 0 to 6")
        decimals = 0
    unit, url = raw.get("unit"), raw.get("source_url")
    if not isinstance(unit, str) or not unit:
        problems.append(f"{where}: unit is missing")
    if not isinstance(url, str) or not url.startswith("https://"):
        problems.append(f"{where}: source_url must be an https link")
    filters = raw.get("filters") or {}
    if not isinstance(filters, dict) or not all(isinstance(v, str) and _CODE_RE.match(v) for v in filters.values()):
        problems.append(f'{where}: filters must map variable codes to value codes (quote numbers: "0")')
        filters = {}
    table, content = raw.get("table", ""), raw.get("content", "")
    if evidence is Evidence.SSB:
        if not isinstance(table, str) or not _TABLE_RE.match(table):
            problems.append(f"{where}: an SSB indicator needs the 5-digit table number as a string")
        if not isinstance(content, str) or not _CODE_RE.match(content):
            problems.append(f"{where}: an SSB indicator needs its content code (ContentsCode)")
        if raw.get("checked") not in ("response", "usage", "standard"):
            problems.append(f"{where}: checked must say where the codes were seen (response, usage, standard)")
        if any(k in ("Tid", "ContentsCode") or "region" in k.lower() for k in filters):
            problems.append(f"{where}: filters fix other variables, not region, time or ContentsCode")
    elif table or content or filters:
        problems.append(f"{where}: an indicator from another source has no SSB table, content or filters")
    elif not raw.get("publisher"):
        problems.append(f"{where}: an indicator from another source must name its publisher")
    return Indicator(
        key=key,
        domain=domain,
        evidence=evidence,
        name=_texts(raw.get("name"), f"{where}: name", ("nb", "nn", "en"), problems),
        definition=_texts(raw.get("definition"), f"{where}: definition", ("nb", "nn"), problems),
        unit=str(unit),
        decimals=decimals,
        polarity=_choice(Polarity, raw.get("polarity"), f"{where}: polarity", problems),
        aggregation=_choice(Aggregation, raw.get("aggregation"), f"{where}: aggregation", problems),
        source_url=str(url),
        table=str(table or ""),
        content=str(content or ""),
        filters={str(k): str(v) for k, v in filters.items()},
        publisher=str(raw.get("publisher") or "Statistisk sentralbyrå"),
        checked=str(raw.get("checked") or ""),
    )


def parse_catalogue(text: str) -> tuple[Indicator, ...]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError([f"not valid YAML: {exc}"]) from None
    if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("indicators"), list):
        raise CatalogueError(["the file must have 'version: 1' and an 'indicators' list"])
    problems: list[str] = []
    indicators = [i for i in (_indicator(raw, problems) for raw in doc["indicators"]) if i is not None]
    seen: dict[str, str] = {}
    for indicator in indicators:
        if indicator.key in seen:
            problems.append(f"indicator {indicator.key}: the key is used twice")
        if indicator.series and indicator.series in seen.values():
            problems.append(f"indicator {indicator.key}: another indicator points at the same series")
        seen[indicator.key] = indicator.series
    if problems:
        raise CatalogueError(problems)
    return tuple(indicators)


@cache
def indicators() -> tuple[Indicator, ...]:
    return parse_catalogue(CATALOGUE_FILE.read_text(encoding="utf-8"))


def by_key() -> dict[str, Indicator]:
    return {i.key: i for i in indicators()}


def ssb_indicators() -> tuple[Indicator, ...]:
    return tuple(i for i in indicators() if i.evidence is Evidence.SSB)


def for_domain(domain: Domain | str) -> tuple[Indicator, ...]:
    return tuple(i for i in indicators() if i.domain == domain)


def tables() -> dict[str, list[Indicator]]:
    """The SSB tables the catalogue reads, each with the indicators it feeds."""
    found: dict[str, list[Indicator]] = {}
    for indicator in ssb_indicators():
        found.setdefault(indicator.table, []).append(indicator)
    return found
