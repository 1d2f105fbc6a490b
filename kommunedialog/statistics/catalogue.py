"""The indicator catalogue (catalogue.yaml): loaded once, validated strictly, read everywhere.

An indicator reads one or more *sources* — a cell series of an SSB table (table, content code and the
fixed values of the table's other variables) or of a file another publisher issued (a dataset id such
as ``udir-grunnskolepoeng``) — in order: for each municipality and year the first source with a figure
wins. An indicator may instead (or as a last resort) be *computed* from source values: the sum of its
numerator terms divided by the sum of its denominator terms, times a scale, each term read the same
way. Every SSB source says whether its codes were seen in a recorded SSB answer or metadata file
(``checked``), so the catalogue page can show which are unverified.

Every problem in the file is collected and reported together, so an editor fixes them in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from kommunedialog.core.domains import Domain
from kommunedialog.core.languages import localised

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
CALC_TABLE = "calc"
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{2,60}$")
_TABLE_RE = re.compile(r"^\d{5}$")
_DATASET_RE = re.compile(r"^[a-z][a-z0-9-]{2,58}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9_.\-+]{1,80}$")


class Polarity(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    # A figure about the service whose level is neither good nor bad in itself (spending, coverage).
    NEUTRAL = "neutral"
    # A figure that describes the municipality rather than its services (population, centrality).
    CONTEXT = "context"

    @property
    def judged(self) -> bool:
        return self in (Polarity.HIGHER_BETTER, Polarity.LOWER_BETTER)


class Aggregation(StrEnum):
    WEIGHTED_MEAN = "weighted_mean"  # key figures: mean of the members weighted by population
    SUM = "sum"  # counts and amounts
    RATIO = "ratio"  # computed ratios: the members' numerators summed over their denominators summed
    NONE = "none"  # yes/no flags and classes: no aggregate is meaningful


class Evidence(StrEnum):
    SSB = "ssb"  # the first source is an SSB table
    FILE = "file"  # the sources are files from other publishers, read by an importer
    COMPUTED = "computed"  # computed from source values by the catalogue's formula
    OTHER = "other"  # registered by office staff; no importer


class Checked(StrEnum):
    RESPONSE = "response"  # the codes appear in a recorded SSB answer in ../shared/data
    METADATA = "metadata"  # the codes appear in a recorded metadata answer (all of the table's codes)
    UNVERIFIED = "unverified"  # seen in public code or SSB's documentation only; checked at ingest


class CatalogueError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("The indicator catalogue has problems:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


def filters_key(filters: Mapping[str, str]) -> str:
    return "&".join(f"{k}={filters[k]}" for k in sorted(filters))


def series_key(table: str, content: str, filters: str) -> str:
    return f"{table}/{content}/{filters}"


@dataclass(frozen=True)
class Source:
    """One cell series: ``table`` is an SSB table number or the dataset id of a file importer."""

    table: str
    content: str
    filters: Mapping[str, str] = field(default_factory=dict)
    checked: Checked | None = None  # SSB sources only
    checked_in: str = ""  # the recorded file under ../shared/data that shows the codes

    @property
    def is_ssb(self) -> bool:
        return bool(_TABLE_RE.match(self.table))

    @property
    def series(self) -> str:
        return series_key(self.table, self.content, filters_key(self.filters))

    @property
    def verified(self) -> bool:
        return self.checked in (Checked.RESPONSE, Checked.METADATA)


@dataclass(frozen=True)
class Term:
    """One addend of a computed indicator: the first alternative with a figure counts."""

    sources: tuple[Source, ...] = ()
    indicator: str = ""  # or: another indicator's figures (its sources, in its order)


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
    publisher: str = "Statistisk sentralbyrå"
    polarity_reason: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    numerator: tuple[Term, ...] = ()
    denominator: tuple[Term, ...] = ()
    scale: float = 1.0
    denominator_lag: int = 0  # read the denominator this many years later (1: 1 January of the next year)

    # ── The primary source, as the ingest and the API name it ────────────────────────────────────
    @property
    def primary(self) -> Source | None:
        return self.sources[0] if self.sources else None

    @property
    def table(self) -> str:
        return self.primary.table if self.primary and self.primary.is_ssb else ""

    @property
    def content(self) -> str:
        return self.primary.content if self.primary and self.primary.is_ssb else ""

    @property
    def filters(self) -> Mapping[str, str]:
        return self.primary.filters if self.primary and self.primary.is_ssb else {}

    @property
    def checked(self) -> str:
        return self.primary.checked.value if self.primary and self.primary.checked else ""

    @cached_property
    def filters_key(self) -> str:
        return filters_key(self.filters)

    @property
    def is_computed(self) -> bool:
        return bool(self.numerator)

    @cached_property
    def calc_series(self) -> str:
        return series_key(CALC_TABLE, self.key, "") if self.is_computed else ""

    @cached_property
    def series(self) -> str:
        """The key the indicator's aggregates are stored under: its first source, or its computed series."""
        if self.evidence is Evidence.OTHER:
            return ""
        return self.sources[0].series if self.sources else self.calc_series

    @cached_property
    def all_series(self) -> tuple[str, ...]:
        """Every series the indicator reads, in the order a figure is taken from them."""
        found = [s.series for s in self.sources]
        if self.is_computed:
            found.append(self.calc_series)
        return tuple(found)

    @property
    def unverified_sources(self) -> tuple[Source, ...]:
        return tuple(s for s in self.every_source() if s.is_ssb and not s.verified)

    def every_source(self) -> Iterator[Source]:
        """The indicator's own sources and those its formula names directly."""
        yield from self.sources
        for term in (*self.numerator, *self.denominator):
            yield from term.sources

    def localised(self, texts: Mapping[str, str], language: str | None = None) -> str:
        return localised(texts, language)

    @property
    def label(self) -> str:
        return self.localised(self.name)

    @property
    def description(self) -> str:
        return self.localised(self.definition)

    @property
    def reason(self) -> str:
        return self.localised(self.polarity_reason) if self.polarity_reason else ""


# ── Parsing ──────────────────────────────────────────────────────────────────────────────────────
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


def _source(raw: Any, where: str, problems: list[str]) -> Source | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: a source is a mapping with table and content")
        return None
    table, content = raw.get("table", ""), raw.get("content", "")
    filters = raw.get("filters") or {}
    if not isinstance(table, str) or not (_TABLE_RE.match(table) or _DATASET_RE.match(table)):
        problems.append(f"{where}: table must be a 5-digit SSB table number as a string, or a dataset id")
        table = str(table)
    if not isinstance(content, str) or not _CODE_RE.match(content):
        problems.append(f"{where}: content (the ContentsCode, or the file's measure) is missing")
        content = str(content)
    if not isinstance(filters, dict) or not all(isinstance(v, str) and _CODE_RE.match(v) for v in filters.values()):
        problems.append(f'{where}: filters must map variable codes to value codes (quote numbers: "0")')
        filters = {}
    if any(k in ("Tid", "ContentsCode") or "region" in k.lower() for k in filters):
        problems.append(f"{where}: filters fix other variables, not region, time or ContentsCode")
    checked, checked_in = None, str(raw.get("checked_in") or "")
    if _TABLE_RE.match(table):
        checked = _choice(Checked, raw.get("checked"), f"{where}: checked", problems)
        if raw.get("checked") in (Checked.RESPONSE.value, Checked.METADATA.value) and not checked_in:
            problems.append(f"{where}: checked_in must name the recorded file the codes were seen in")
        if checked is Checked.UNVERIFIED and checked_in:
            problems.append(f"{where}: an unverified source names no file")
    elif raw.get("checked") or checked_in:
        problems.append(f"{where}: only SSB sources say where their codes were checked")
    return Source(table, content, {str(k): str(v) for k, v in filters.items()}, checked, checked_in)


def _terms(raw: Any, where: str, problems: list[str]) -> tuple[Term, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: must list one or more terms")
        return ()
    terms = []
    for i, alternatives in enumerate(raw, start=1):
        here = f"{where} term {i}"
        if isinstance(alternatives, dict) and "indicator" in alternatives:
            terms.append(Term(indicator=str(alternatives["indicator"])))
            continue
        if not isinstance(alternatives, list) or not alternatives:
            problems.append(f"{here}: a term is {{indicator: key}} or a list of sources")
            continue
        sources = tuple(s for s in (_source(a, here, problems) for a in alternatives) if s is not None)
        terms.append(Term(sources=sources))
    return tuple(terms)


_SSB_KEYS = ("table", "content", "filters", "checked", "checked_in")


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
    polarity = _choice(Polarity, raw.get("polarity"), f"{where}: polarity", problems)
    reason = raw.get("polarity_reason")
    if raw.get("polarity") in (Polarity.HIGHER_BETTER.value, Polarity.LOWER_BETTER.value):
        reason = _texts(reason, f"{where}: polarity_reason", ("nb", "nn"), problems)
    elif reason:
        problems.append(f"{where}: only a higher_better or lower_better indicator gives a polarity_reason")
    sources: list[Source] = []
    if evidence is Evidence.SSB:
        primary = _source({k: raw.get(k) for k in _SSB_KEYS if k in raw}, where, problems)
        if primary is not None and not primary.is_ssb:
            problems.append(f"{where}: an SSB indicator needs the 5-digit table number as a string")
        if primary is not None:
            sources.append(primary)
    elif any(k in raw for k in _SSB_KEYS):
        problems.append(f"{where}: only an SSB indicator names table, content and filters at the top")
    for i, item in enumerate(raw.get("sources" if evidence is Evidence.FILE else "also") or [], start=1):
        source = _source(item, f"{where} source {i}", problems)
        if source is not None:
            sources.append(source)
    if evidence is Evidence.FILE and not sources:
        problems.append(f"{where}: a file indicator lists its sources")
    if evidence in (Evidence.FILE, Evidence.COMPUTED, Evidence.OTHER) and not raw.get("publisher"):
        problems.append(f"{where}: an indicator not read from SSB alone must name its publisher")
    numerator: tuple[Term, ...] = ()
    denominator: tuple[Term, ...] = ()
    if "numerator" in raw or evidence is Evidence.COMPUTED:
        numerator = _terms(raw.get("numerator"), f"{where}: numerator", problems)
        denominator = _terms(raw.get("denominator"), f"{where}: denominator", problems)
    if evidence is Evidence.COMPUTED and raw.get("also"):
        problems.append(f"{where}: a computed indicator has no other sources")
    if evidence is Evidence.OTHER and (sources or numerator or raw.get("also")):
        problems.append(f"{where}: an indicator from another source has no SSB table, content or filters")
    scale = raw.get("scale", 1)
    lag = raw.get("denominator_lag", 0)
    if not isinstance(scale, int | float) or scale <= 0:
        problems.append(f"{where}: scale must be a positive number")
        scale = 1
    if lag not in (0, 1):
        problems.append(f"{where}: denominator_lag is 0 or 1")
        lag = 0
    return Indicator(
        key=key,
        domain=domain,
        evidence=evidence,
        name=_texts(raw.get("name"), f"{where}: name", ("nb", "nn", "en"), problems),
        definition=_texts(raw.get("definition"), f"{where}: definition", ("nb", "nn"), problems),
        unit=str(unit),
        decimals=decimals,
        polarity=polarity,
        aggregation=_choice(Aggregation, raw.get("aggregation"), f"{where}: aggregation", problems),
        source_url=str(url),
        publisher=str(raw.get("publisher") or "Statistisk sentralbyrå"),
        polarity_reason=reason or {},
        sources=tuple(sources),
        numerator=numerator,
        denominator=denominator,
        scale=float(scale),
        denominator_lag=int(lag),
    )


def _check_references(indicators: list[Indicator], problems: list[str]) -> None:
    keys = {i.key: i for i in indicators}
    for indicator in indicators:
        for term in (*indicator.numerator, *indicator.denominator):
            target = keys.get(term.indicator) if term.indicator else None
            if term.indicator and (target is None or (target.is_computed and not target.sources)):
                problems.append(
                    f"indicator {indicator.key}: term names {term.indicator!r}, which is not an indicator with sources"
                )
        if indicator.aggregation is Aggregation.RATIO and not indicator.is_computed:
            problems.append(f"indicator {indicator.key}: only a computed indicator aggregates as a ratio")


def parse_catalogue(text: str) -> tuple[Indicator, ...]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError([f"not valid YAML: {exc}"]) from None
    if not isinstance(doc, dict) or doc.get("version") != 2 or not isinstance(doc.get("indicators"), list):
        raise CatalogueError(["the file must have 'version: 2' and an 'indicators' list"])
    problems: list[str] = []
    indicators = [i for i in (_indicator(raw, problems) for raw in doc["indicators"]) if i is not None]
    seen: dict[str, str] = {}
    for indicator in indicators:
        if indicator.key in seen:
            problems.append(f"indicator {indicator.key}: the key is used twice")
        if indicator.series and indicator.series in seen.values():
            problems.append(f"indicator {indicator.key}: another indicator points at the same series")
        seen[indicator.key] = indicator.series
    _check_references(indicators, problems)
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


def with_figures() -> tuple[Indicator, ...]:
    """Every indicator whose figures are stored (all but those staff register by hand)."""
    return tuple(i for i in indicators() if i.evidence is not Evidence.OTHER)


def for_domain(domain: Domain | str) -> tuple[Indicator, ...]:
    return tuple(i for i in indicators() if i.domain == domain)


def term_sources(term: Term) -> tuple[Source, ...]:
    """The sources a term reads, in order (an indicator reference reads that indicator's sources)."""
    if term.indicator:
        return by_key()[term.indicator].sources
    return term.sources


def tables() -> dict[str, list[Indicator]]:
    """The SSB tables the catalogue reads (its sources and formula inputs), each with the indicators it feeds."""
    found: dict[str, list[Indicator]] = {}
    for indicator in with_figures():
        sources = [*indicator.sources]
        for term in (*indicator.numerator, *indicator.denominator):
            sources.extend(term_sources(term))
        for source in sources:
            if source.is_ssb and indicator not in found.setdefault(source.table, []):
                found[source.table].append(indicator)
    return found


def ssb_sources(table: str) -> list[Source]:
    """Every SSB source of ``table`` the catalogue reads, once each."""
    found: dict[str, Source] = {}
    for indicator in with_figures():
        candidates = [*indicator.sources]
        for term in (*indicator.numerator, *indicator.denominator):
            candidates.extend(term_sources(term))
        for source in candidates:
            if source.table == table:
                found.setdefault(source.series, source)
    return list(found.values())


def additive_series() -> frozenset[str]:
    """Series whose figures may be added up across municipalities: sources of indicators that aggregate by
    sum, and every input of a computed indicator (numerators and denominators are counts or amounts)."""
    found: set[str] = set()
    for indicator in with_figures():
        if indicator.aggregation is Aggregation.SUM:
            found.update(s.series for s in indicator.sources)
        for term in (*indicator.numerator, *indicator.denominator):
            found.update(s.series for s in term_sources(term))
    return frozenset(found)


def readers_of(series: str) -> list[Indicator]:
    """The indicators that read a series, directly or through their formula."""
    found = []
    for indicator in with_figures():
        direct = series in indicator.all_series
        inputs = any(
            s.series == series for term in (*indicator.numerator, *indicator.denominator) for s in term_sources(term)
        )
        if direct or inputs:
            found.append(indicator)
    return found
