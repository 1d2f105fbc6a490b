"""Reading the register's inputs into one validated structure, before anything is written.

Two sources give the same shape: a folder of files (``../shared/data``: KLASS responses plus the
files that carry målform, population, centrality and KOSTRA group) or the live KLASS API, which
gives codes and history only. Every problem found is collected, so one run reports all of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kommunedialog.registry.geo import BoundarySpec, read_county_maps, read_neighbours
from kommunedialog.registry.klass_client import MUNICIPALITIES, KlassClient
from kommunedialog.registry.models import LanguageForm

REFERENCE_OFFICES = Path(__file__).parent / "reference" / "offices.json"
UNKNOWN_MUNICIPALITY = "9999"
# KLASS history from this date on is what SSB returns for classification 131.
HISTORY_SINCE = dt.date(2008, 1, 1)
CODE_RE = re.compile(r"^\d{4}$")
LANGUAGE_FORMS = {"Bokmål": LanguageForm.BOKMAAL, "Nynorsk": LanguageForm.NYNORSK, "Nøytral": LanguageForm.NEUTRAL}


class RegistrySourceError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("The register source has problems:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    counties: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ChangeSpec:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    occurred_on: dt.date


@dataclass(frozen=True)
class Facts:
    """What the files beyond KLASS say about a current municipality."""

    name_norwegian: str | None = None
    language_form: str | None = None
    population: int | None = None
    population_year: int | None = None
    centrality: int | None = None
    kostra_group: str | None = None


@dataclass
class RegistrySource:
    label: str
    offices: list[OfficeSpec]
    codes: dict[str, str]  # current number -> official KLASS name
    changes: list[ChangeSpec]
    # None: this source says nothing about these, so what the register holds is kept.
    facts: dict[str, Facts] | None = None
    kostra_groups: dict[str, str] | None = None
    split_weights: dict[tuple[str, str], Decimal] | None = None
    boundaries: dict[str, BoundarySpec] | None = None
    neighbours: set[tuple[str, str]] | None = None
    notes: list[str] = field(default_factory=list)


def read_offices(path: Path = REFERENCE_OFFICES) -> list[OfficeSpec]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        OfficeSpec(code=o["code"], name=o["name"], counties=tuple((n, name) for n, name in o["counties"]))
        for o in data["offices"]
    ]


def _parse_codes(raw: list[dict[str, Any]], problems: list[str]) -> dict[str, str]:
    codes: dict[str, str] = {}
    for i, item in enumerate(raw):
        code, name = item.get("code"), item.get("name")
        if not isinstance(code, str) or not CODE_RE.match(code) or not isinstance(name, str) or not name:
            problems.append(f"KLASS code #{i + 1}: needs a four-digit 'code' and a 'name', got {item!r:.120}")
            continue
        if code == UNKNOWN_MUNICIPALITY:
            continue  # "Uoppgitt" is a statistical bucket, not a municipality
        codes[code] = name
    return codes


def _parse_changes(raw: list[dict[str, Any]], problems: list[str]) -> list[ChangeSpec]:
    changes = []
    for i, item in enumerate(raw):
        try:
            spec = ChangeSpec(
                old_code=item["oldCode"],
                old_name=item["oldName"],
                new_code=item["newCode"],
                new_name=item["newName"],
                occurred_on=dt.date.fromisoformat(item["changeOccurred"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"KLASS change #{i + 1}: {exc.__class__.__name__} {exc} in {item!r:.120}")
            continue
        if not (CODE_RE.match(spec.old_code) and CODE_RE.match(spec.new_code)):
            problems.append(f"KLASS change #{i + 1}: codes must have four digits, got {spec.old_code}→{spec.new_code}")
            continue
        changes.append(spec)
    return changes


def _load_json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"{path.name}: cannot be read as JSON ({exc})")
        return None


def _newest(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[-1] if found else None


def read_source_dir(root: Path) -> RegistrySource:
    """Read ``root`` laid out as ``../shared/data`` (see its README)."""
    problems: list[str] = []
    if not root.is_dir():
        raise RegistrySourceError([f"{root} is not a folder"])
    codes_file = _newest(root / "klass", "klass-131-codesAt-*.json")
    changes_file = _newest(root / "klass", "klass-131-changes-*.json")
    if codes_file is None or changes_file is None:
        raise RegistrySourceError([f"{root / 'klass'} must hold klass-131-codesAt-*.json and klass-131-changes-*.json"])

    body = _load_json(codes_file, problems)
    codes = _parse_codes(body.get("codes", []) if isinstance(body, dict) else [], problems)
    if isinstance(body, dict) and "codes" not in body:
        problems.append(f"{codes_file.name}: no 'codes' list")
    raw_changes = _load_json(changes_file, problems)
    if isinstance(raw_changes, dict):  # the API's own envelope
        raw_changes = raw_changes.get("codeChanges")
    if not isinstance(raw_changes, list):
        problems.append(f"{changes_file.name}: expected a list of code changes")
        raw_changes = []
    changes = _parse_changes(raw_changes, problems)

    source = RegistrySource(label=str(root), offices=read_offices(), codes=codes, changes=changes)
    _read_facts(root, source, problems)
    _read_weights(root, source, problems)
    _read_boundaries(root, source, problems)
    _read_neighbours(root, source, problems)
    if problems:
        raise RegistrySourceError(problems)
    return source


def _read_facts(root: Path, source: RegistrySource, problems: list[str]) -> None:
    names: dict[str, dict[str, Any]] = {}
    municipalities_file = root / "regions" / "aprestmo-municipalities-2025.json"
    if municipalities_file.exists():
        rows = _load_json(municipalities_file, problems) or []
        for row in rows:
            if row.get("id") not in source.codes:
                problems.append(f"{municipalities_file.name}: unknown municipality code {row.get('id')!r}")
                continue
            form = LANGUAGE_FORMS.get(row.get("language", ""))
            if form is None:
                problems.append(f"{municipalities_file.name}: {row['id']} has unknown målform {row.get('language')!r}")
            names[row["id"]] = {"name_norwegian": row.get("name_no") or None, "language_form": form}
    else:
        source.notes.append(f"{municipalities_file} not found: Norwegian names and målform left as they are")

    panel_file = root / "panel" / "derived-kommune-kostragruppe-robek-sentralitet-pop-2022-2024.csv"
    panel: dict[str, dict[str, Any]] = {}
    groups: dict[str, str] = {}
    if panel_file.exists():
        with panel_file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        latest = max((int(r["aar"]) for r in rows), default=0)
        for line, row in enumerate(rows, start=2):
            if int(row["aar"]) != latest:
                continue
            number = row["kommunenummer"]
            if number not in source.codes:
                problems.append(f"{panel_file.name} line {line}: unknown municipality code {number!r}")
                continue
            try:
                centrality = int(row["sentralitet"])
                population = int(row["folkemengde"])
            except ValueError:
                problems.append(f"{panel_file.name} line {line}: centrality and population must be whole numbers")
                continue
            if not 1 <= centrality <= 6:
                problems.append(f"{panel_file.name} line {line}: centrality {centrality} is outside 1–6")
            groups[row["kostragruppe_kode"]] = row["kostragruppe_navn"]
            # The panel's population for year Y is the count on 1 January Y.
            panel[number] = {
                "population": population,
                "population_year": latest,
                "centrality": centrality,
                "kostra_group": row["kostragruppe_kode"],
            }
    else:
        source.notes.append(f"{panel_file} not found: population, centrality and KOSTRA group left as they are")

    if names or panel:
        source.facts = {n: Facts(**{**names.get(n, {}), **panel.get(n, {})}) for n in set(names) | set(panel)}
        source.kostra_groups = groups or None


def _read_weights(root: Path, source: RegistrySource, problems: list[str]) -> None:
    """Split weights from FHI's redistricting table; KLASS says who split, not in what shares."""
    path = root / "regions" / "fhi-csdata-norway_locations.xlsx"
    if not path.exists():
        source.notes.append(f"{path} not found: splits get equal shares unless the register has weights")
        return
    import openpyxl  # only needed here; keeps the live path free of it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        problems.append(f"{path.name}: cannot be read as a workbook ({exc})")
        return
    rows = workbook.active.iter_rows(values_only=True)
    header = [str(c) for c in next(rows)]
    col = {name: header.index(name) for name in ("municip_code", "municip_code_end", "weighting")}
    weights: dict[tuple[str, str], Decimal] = {}
    for row in rows:
        weight = row[col["weighting"]]
        if weight in (None, 1):
            continue
        old = str(row[col["municip_code"]]).removeprefix("municip_nor")
        new = str(row[col["municip_code_end"]]).removeprefix("municip_nor")
        weights[(old, new)] = Decimal(str(weight))
    workbook.close()
    source.split_weights = weights


def read_live(client: KlassClient, *, on: dt.date) -> RegistrySource:
    """Codes valid on ``on`` and the history since 2008 from the KLASS API."""
    problems: list[str] = []
    codes = _parse_codes(client.codes_at(MUNICIPALITIES, on), problems)
    changes = _parse_changes(client.changes(MUNICIPALITIES, since=HISTORY_SINCE, until=on), problems)
    if problems:
        raise RegistrySourceError(problems)
    return RegistrySource(
        label=f"KLASS API ({on.isoformat()})",
        offices=read_offices(),
        codes=codes,
        changes=changes,
        notes=["KLASS gives codes and history only: målform, population, centrality and KOSTRA group are kept"],
    )


def _read_boundaries(root: Path, source: RegistrySource, problems: list[str]) -> None:
    folder = root / "geo" / "ssb-mimir-2024"
    if not folder.is_dir():
        source.notes.append(f"no boundaries in {folder}: the office maps are left as they are")
        return
    boundaries = read_county_maps(folder, problems)
    unknown = sorted(set(boundaries) - set(source.codes))
    if unknown:
        problems.append(f"{folder.name}: boundaries for unknown municipality codes {', '.join(unknown)}")
    missing = sorted(set(source.codes) - set(boundaries) - {"9999"})
    if missing:
        source.notes.append(f"no boundary for {', '.join(missing)}")
    source.boundaries = boundaries


def _read_neighbours(root: Path, source: RegistrySource, problems: list[str]) -> None:
    path = root / "geo" / "kommuner-2024-S.topojson"
    if not path.is_file():
        source.notes.append(f"no {path.name}: the neighbours are left as they are")
        return
    pairs = read_neighbours(path, problems)
    unknown = sorted({n for pair in pairs for n in pair} - set(source.codes))
    if unknown:
        problems.append(f"{path.name}: neighbours for unknown municipality codes {', '.join(unknown)}")
    source.neighbours = pairs
