"""Single files from three more publishers: Miljødirektoratet's municipal greenhouse-gas accounts (the
Telemark extract, by name), KDD's expenditure-need index (Grønt hefte) and Helsedirektoratet's KUHR
tariff use."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.names import NameMatcher
from kommunedialog.statistics.importers.values import municipality_code, number, slug

KLIMAGASS = "mdir-klimagass"
DKI = "kdd-dki"
KUHR = "helsedir-kuhr"
MDIR_VINTAGE = dt.date(2024, 6, 1)


def read_klimagass(path: Path) -> list[Batch]:
    """Rows ``Kommune,År,Sektor,Utslippskilde,Utslipp`` (tonnes CO₂-equivalents); the gas column was
    dropped upstream, so a source appears once per gas: every row is added up, per sector and in total."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    if not rows or rows[0] != ["Kommune", "År", "Sektor", "Utslippskilde", "Utslipp"]:
        raise ImportRefused(f"{path.name}: the header must be Kommune,År,Sektor,Utslippskilde,Utslipp")
    matcher = NameMatcher(on=MDIR_VINTAGE)
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    sectors: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 5:
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has 5")
        name, year, sector = row[0].strip(), row[1].strip(), row[2].strip()
        if not year.isdigit():
            raise ImportRefused(f"{path.name} line {line}: År {year!r} is not a year")
        value, _status = number(row[4], f"{path.name} line {line}, Utslipp")
        if value is None:
            raise ImportRefused(f"{path.name} line {line}: Utslipp is missing")
        if matcher.match(name) is None:
            continue
        sectors[slug(sector)] = sector
        for key in ((name, year, ""), (name, year, slug(sector))):
            totals[key] += value
            counts[key] += 1
    problems = matcher.problems(path.name)
    if problems:
        raise ImportRefused("; ".join(problems))
    cells = [
        Cell(
            "utslipp",
            f"sektor={sector}" if sector else "",
            matcher.matched[name],
            year,
            round(total, 6),
            region_label=name,
            code_year=MDIR_VINTAGE.year,
            inputs={"method": "sum of the file's rows", "rows": counts[(name, year, sector)]},
        )
        for (name, year, sector), total in sorted(totals.items())
    ]
    return [
        Batch(
            table_id=KLIMAGASS,
            label="Klimagassutslipp i kommunene i Telemark 2009–2024, tonn CO₂-ekvivalenter (Miljødirektoratet)",
            source="Miljødirektoratet (Klimagassutslipp i kommuner), utdrag av Telemark fylkeskommune",
            cells=cells,
            units={"utslipp": ("tonn CO₂-ekvivalenter", 0)},
            contents={"utslipp": "Klimagassutslipp"},
            additive={"utslipp"},
            report=[f"{len(sectors)} sectors; figures summed over sources and gases"],
        )
    ]


def read_dki(path: Path) -> list[Batch]:
    """Grønt hefte's table A-k: the overall cost index per municipality (a number, or for Lørenskog an
    object whose ``samlet`` is the overall index)."""
    try:
        doc: Any = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ImportRefused(f"{path.name}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("kommuner"), dict) or not isinstance(doc.get("år"), int):
        raise ImportRefused(f"{path.name}: expected an object with 'år' and 'kommuner'")
    year = str(doc["år"])
    cells = []
    for code, raw in sorted(doc["kommuner"].items()):
        where = f"{path.name}, {code}"
        number_ = municipality_code(code, where)
        value = raw.get("samlet") if isinstance(raw, dict) else raw
        index, status = number(value, where)
        if index is None or not 0.3 < index < 3:
            raise ImportRefused(f"{where}: {value!r} is not a cost index")
        cells.append(Cell("dki", "", number_, year, index, status, code_year=int(year) - 1))
    published = str(doc.get("publisert") or "")
    return [
        Batch(
            table_id=DKI,
            label="Samlet kostnadsindeks (utgiftsbehov) per kommune, Grønt hefte (KDD)",
            source=str(doc.get("kilde") or "Kommunal- og distriktsdepartementet, Grønt hefte"),
            cells=cells,
            units={"dki": ("indeks", 4)},
            contents={"dki": "Samlet kostnadsindeks"},
            report=[
                f"{len(cells)} municipalities for budget year {year}" + (f"; compiled {published}" if published else "")
            ],
        )
    ]


def read_kuhr(path: Path) -> list[Batch]:
    """Helsedirektoratet's KUHR tariff use: one object per practice type for one treating municipality."""
    try:
        doc: Any = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ImportRefused(f"{path.name}: not valid JSON ({exc})") from None
    items = doc.get("takstbruk") if isinstance(doc, dict) else None
    if not isinstance(items, list) or doc.get("antall") != len(items):
        raise ImportRefused(f"{path.name}: 'antall' must equal the number of 'takstbruk' items")
    cells: list[Cell] = []
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    parts: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for i, item in enumerate(items, start=1):
        where = f"{path.name}, item {i}"
        try:
            year, code, tariff, kind = (
                str(item[k]) for k in ("ar", "behandler_kommunenr", "takstkode", "praksis_type_kode")
            )
        except (KeyError, TypeError):
            raise ImportRefused(f"{where}: needs ar, behandler_kommunenr, takstkode and praksis_type_kode") from None
        value, status = number(item.get("sum_antall_takst"), f"{where}, sum_antall_takst")
        if value is None:
            raise ImportRefused(f"{where}: sum_antall_takst is missing")
        region = municipality_code(code, where)
        content = f"takst_{slug(tariff)}"
        cells.append(Cell(content, f"praksis={kind}", region, year, value, status))
        totals[(content, region, year)] += value
        parts[(content, region, year)].append(kind)
    for (content, region, year), total in totals.items():
        inputs: dict[str, object] = {
            "method": "sum over practice types",
            "from": sorted(parts[(content, region, year)]),
        }
        cells.append(Cell(content, "", region, year, total, inputs=inputs))
    return [
        Batch(
            table_id=KUHR,
            label="Takstbruk per behandlerkommune og praksistype (Helsedirektoratet, KUHR)",
            source="Helsedirektoratet (KUHR)",
            cells=cells,
            units={c: ("takster", 0) for c, _, _ in totals},
            contents={c: f"Antall takster {c.removeprefix('takst_')}" for c, _, _ in totals},
            additive={c for c, _, _ in totals},
        )
    ]
