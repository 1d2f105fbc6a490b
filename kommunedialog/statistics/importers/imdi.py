"""IMDi's figures: refugee settlement 1995–2022 (its statistics export) and grants paid 2022–2024
(compiled by Samarbeidsdesken)."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.values import municipality_code, number, require_columns, slug
from kommunedialog.statistics.regions import Stitcher

BOSETTING = "imdi-bosetting"
TILSKUDD = "imdi-tilskudd"
_MEASURES = {
    "Bosetting: Anmodning om bosetting": ("anmodning", "Anmodning om bosetting"),
    "Bosetting: Opprinnelig anmodning": ("opprinnelig_anmodning", "Opprinnelig anmodning om bosetting"),
    "Bosetting: Vedtak om bosetting": ("vedtak", "Kommunens vedtak om bosetting"),
    "Bosetting: Faktisk bosetting": ("faktisk", "Faktisk bosetting"),
    "Bosetting: Faktisk bosetting (sammenslått for tidligere fylker)": (
        "faktisk_sammenslatt",
        "Faktisk bosetting (sammenslått for tidligere fylker)",
    ),
}
_YEAR_RE = re.compile(r"^År:\s*(\d{4})$")
_REGION_RE = re.compile(r"^K\d{4}$")


def read_bosetting(path: Path) -> list[Batch]:
    """The export: three header rows (measure, unit, year), then ``K3001;Halden;…`` per region in the
    2020–2023 structure with the codes that ended before (``K0104 Moss (t.o.m. 2019)``). Only the
    persons columns are read; the percentages are IMDi's own derivations of them."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    if len(rows) < 4 or rows[0][:2] != ["Region", "Navn"]:
        raise ImportRefused(f"{path.name}: not IMDi's settlement export (the first row must start Region;Navn)")
    measures, units, years = rows[0], rows[1], rows[2]
    if not len(measures) == len(units) == len(years):
        raise ImportRefused(f"{path.name}: the three header rows have different lengths")
    columns: list[tuple[int, str, str]] = []
    for i in range(2, len(measures)):
        if measures[i] not in _MEASURES:
            raise ImportRefused(f"{path.name}: column {i + 1} has unknown measure {measures[i]!r}")
        found = _YEAR_RE.match(years[i].strip())
        if found is None:
            raise ImportRefused(f"{path.name}: column {i + 1} has no year ({years[i]!r})")
        if units[i].strip() == "Enhet: Personer":
            columns.append((i, _MEASURES[measures[i]][0], found.group(1)))
    cells: list[Cell] = []
    unknown = []
    for line, row in enumerate(rows[3:], start=4):
        if not row or not any(row):
            continue
        if len(row) != len(measures):
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has {len(measures)}")
        region, name = row[0].strip(), row[1].strip()
        if not _REGION_RE.match(region):
            raise ImportRefused(f"{path.name} line {line}: region {region!r} is not K followed by four digits")
        if region == "K9999":
            unknown.append(region)
            continue
        for i, content, year in columns:
            value, status = number(row[i], f"{path.name} line {line}, {year}")
            if value is None and not status:
                continue  # empty: no figure for this code in this year
            cells.append(Cell(content, "", region, year, value, status, region_label=name))
    return [
        Batch(
            table_id=BOSETTING,
            label="Bosetting av flyktninger: anmodning, vedtak og faktisk bosetting 1995–2022 (IMDi)",
            source="Integrerings- og mangfoldsdirektoratet (IMDi)",
            cells=cells,
            units={c: ("personer", 0) for c, _ in _MEASURES.values()},
            contents=dict(_MEASURES.values()),
            additive={c for c, _ in _MEASURES.values()},
            report=[f"{len(unknown)} row for «Uoppgitt kommune» (K9999) left out"] if unknown else [],
            notes=["2022 har bare anmodninger (eksportert høsten 2022)."],
        )
    ]


def read_tilskudd(path: Path) -> list[Batch]:
    """Grants paid per municipality and scheme (kroner), 2024 municipality numbers; 2022 and 2023 figures
    for 1508 Ålesund are the whole of old 1507 (Haram has no row), so they are stored under 1507."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(f"{path.name}: cannot be read as a workbook ({exc})") from None
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    header = [str(c) for c in rows[0]] if rows else []
    at = require_columns(header, ("År", "Tilskuddstype", "Antall", "Kommunenummer", "Kommentar"), path.name)
    stitcher = Stitcher()
    parsed = []
    present: dict[tuple[str, int], set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        where = f"{path.name} row {line}"
        year = row[at["År"]]
        if not isinstance(year, int):
            raise ImportRefused(f"{where}: year {year!r} is not a year")
        scheme = str(row[at["Tilskuddstype"]] or "").strip()
        if not scheme:
            raise ImportRefused(f"{where}: the grant scheme is missing")
        code = municipality_code(row[at["Kommunenummer"]], where)
        comment = str(row[at["Kommentar"]] or "")
        value, status = number(row[at["Antall"]], f"{where}, Antall")
        if value is None and not status:
            if "ikke tilgjengelig" in comment.lower():
                continue
            status = ":" if "anonym" in comment.lower() else ".."
        content = slug(scheme)
        labels[content] = scheme
        parsed.append((content, code, year, value, status))
        present[(content, year)].add(code)
    cells = []
    for content, code, year, value, status in parsed:
        region = stitcher.whole_predecessor(code, year, present[(content, year)]) or code
        cells.append(Cell(content, "", region, str(year), value, status, code_year=None if region != code else 2024))
    return [
        Batch(
            table_id=TILSKUDD,
            label="Tilskudd fra IMDi per kommune 2022–2024 (sammenstilt av Samarbeidsdesken)",
            source="Integrerings- og mangfoldsdirektoratet (IMDi), sammenstilt av Samarbeidsdesken",
            cells=cells,
            units={c: ("kr", 0) for c in labels},
            contents=labels,
            additive=set(labels),
            notes=["For 2024 finnes bare totalsummen, og den er ikke tilgjengelig for kommunene."],
        )
    ]
