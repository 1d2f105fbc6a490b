"""A third party's compilation of KOSTRA key figures from Statistikkbanken (kommunebarometer's Lørenskog
workbook): per sheet, blocks of one key figure each — a label with its unit in brackets, a header row
``År \\ Region`` naming the regions (Lørenskog, Landet, Landet u/Oslo, Kostragr. 8, Oslo, Lillestrøm,
Enebakk, Rælingen), then one row per year. Regions are named by today's names; Landet, Landet u/Oslo
and the KOSTRA group are SSB's own aggregates. The figures of 2025 are SSB's unrevised ones of
16 March 2026 (the metadata sheet says so), so they are stored as preliminary.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.names import COUNTRY_NAMES, NameMatcher, normalise
from kommunedialog.statistics.importers.values import number, slug

DATASET = "kostra-lorenskog"
VINTAGE = dt.date(2024, 6, 1)
SKIPPED_SHEETS = {"Oversikt", "Kostnadsnivå (ENH)", "Metadata og metode"}
_HEADER = "År \\ Region"
_UNIT_RE = re.compile(r"\(([^)]*)\)\s*$")
_GROUP_RE = re.compile(r"^kostragr(?:uppe)?\.?\s*(\d{1,2})$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ),
        start=1,
    )
}
_DATE_RE = re.compile(r"(\d{1,2})\.\s*(\w+)\s+(\d{4})")


def _region(name: str, matcher: NameMatcher) -> str | None:
    key = normalise(name)
    if key in COUNTRY_NAMES:
        return "EAK"
    if key in ("landet u/oslo", "landet uten oslo"):
        return "EAKUO"
    if group := _GROUP_RE.match(key):
        return f"EKG{int(group.group(1)):02d}"
    return matcher.match(name)


def _published(rows: list[tuple[Any, ...]]) -> dt.datetime | None:
    for row in rows:
        if row and str(row[0]).strip() == "Årgang" and len(row) > 1:
            match = _DATE_RE.search(str(row[1]))
            if match and match.group(2).lower() in _MONTHS:
                day = dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
                return dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
    return None


def read(path: Path) -> list[Batch]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(f"{path.name}: cannot be read as a workbook ({exc})") from None
    try:
        sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()
    if "Metadata og metode" not in sheets:
        raise ImportRefused(f"{path.name}: no sheet 'Metadata og metode' saying which KOSTRA vintage this is")
    updated = _published(sheets["Metadata og metode"])
    if updated is None:
        raise ImportRefused(f"{path.name}: the metadata sheet does not give the publication date ('Årgang')")
    matcher = NameMatcher(on=VINTAGE)
    cells: list[Cell] = []
    units: dict[str, tuple[str, int | None]] = {}
    contents: dict[str, str] = {}
    for title, rows in sheets.items():
        if title in SKIPPED_SHEETS:
            continue
        for i, row in enumerate(rows):
            if not row or row[0] != _HEADER:
                continue
            label = str(rows[i - 1][0] if i else "").strip()
            if not label:
                raise ImportRefused(f"{path.name}, sheet {title!r} row {i + 1}: a block without a label")
            content = slug(label)
            unit = _UNIT_RE.search(label)
            units[content] = (unit.group(1) if unit else "", None)
            contents[content] = _UNIT_RE.sub("", label).strip()
            regions = [(j, str(name).strip()) for j, name in enumerate(row) if j and name]
            codes = {j: _region(name, matcher) for j, name in regions}
            for line in rows[i + 1 :]:
                year = str(line[0]).strip() if line and line[0] is not None else ""
                if not year.isdigit():
                    break
                for j, name in regions:
                    code = codes[j]
                    value, status = number(line[j] if j < len(line) else None, f"{path.name}, {title}, {label}, {year}")
                    if code is None or (value is None and not status):
                        continue
                    cells.append(
                        Cell(content, "", code, year, value, status, region_label=name, code_year=VINTAGE.year)
                    )
    problems = matcher.problems(path.name)
    if problems:
        raise ImportRefused("; ".join(problems))
    if not cells:
        raise ImportRefused(f"{path.name}: no block with a '{_HEADER}' header row")
    return [
        Batch(
            table_id=DATASET,
            label="KOSTRA-nøkkeltall 2020–2025 for Lørenskog og sammenligningskommuner (SSB, sammenstilt av kommunebarometer)",
            source="Statistisk sentralbyrå (KOSTRA), sammenstilt av kommunebarometer",
            cells=cells,
            updated=updated,
            kostra=True,
            units=units,
            contents=contents,
            additive={c for c in contents if c.startswith(("sosialhjelpstilfeller", "netto-driftsutgifter-ytelse"))},
            report=[f"{len(contents)} key figures for {len(matcher.matched)} municipalities and SSB's aggregates"],
        )
    ]
