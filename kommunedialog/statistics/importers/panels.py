"""Two panels third parties compiled from public figures for all 357 municipalities.

* The omsorg panel (Telemarksforsking's "Framskrivningsverktøy"): SSB's care-service base figures and
  population 2007–2025, already carried over to the 2024 municipalities upstream — merged predecessors
  summed (``kommunenr_hist_kilder`` = "1103+1141+1142"), except that 1508 Ålesund 2020–2023 is the
  whole of old 1507 including Haram. Those rows are stored under 1507, so the code history splits them
  (1508 and 1580 each get their weighted share); upstream sums are stored with what they summed; the
  averaged hours (``Y_4``) of merged predecessors are not SSB's figure and are left out.
* Samarbeidsdesken's kommunepanel 2022–2024 (centrality, population, refugees settled, IMDi's requests
  and the municipality's decisions, GP-list spare capacity), 2024 municipality numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.values import municipality_code, number, require_columns
from kommunedialog.statistics.regions import Stitcher

OMSORG = "omsorgspanel"
KOMMUNEPANEL = "kommunepanel"
VINTAGE = 2024
_HIST_RE = re.compile(r"^\d{4}(\+\d{4})*$")
_OMSORG_COLUMNS = (
    "kommunenr_2024",
    "år",
    "kommunenr_hist_kilder",
    "Y_4_ialt",
    "folk_0_66",
    "folk_67_79",
    "folk_80p",
    "folk_ialt",
    "Y_1_a_ialt",
    "Y_1_a_0_66",
    "Y_1_a_67_79",
    "Y_1_a_80p",
    "Y_2_ialt",
    "Y_3_a_ialt",
    "Y_3_a_0_66",
    "Y_3_a_67_79",
    "Y_3_a_80p",
    "Y_5_ialt",
)
_OMSORG_LABELS = {
    "Y_4_ialt": ("Gjennomsnittlig tildelte timer per uke, hjemmesykepleie", "timer", 1),
    "folk_0_66": ("Folkemengde 0–66 år 1. januar", "personer", 0),
    "folk_67_79": ("Folkemengde 67–79 år 1. januar", "personer", 0),
    "folk_80p": ("Folkemengde 80 år og over 1. januar", "personer", 0),
    "folk_ialt": ("Folkemengde 1. januar", "personer", 0),
    "Y_1_a_ialt": ("Mottakere av hjemmetjenester", "personer", 0),
    "Y_1_a_0_66": ("Mottakere av hjemmetjenester 0–66 år", "personer", 0),
    "Y_1_a_67_79": ("Mottakere av hjemmetjenester 67–79 år", "personer", 0),
    "Y_1_a_80p": ("Mottakere av hjemmetjenester 80 år og over", "personer", 0),
    "Y_2_ialt": ("Beboere i bolig med heldøgns bemanning", "personer", 0),
    "Y_3_a_ialt": ("Langtidsbeboere i institusjon", "personer", 0),
    "Y_3_a_0_66": ("Langtidsbeboere i institusjon 0–66 år", "personer", 0),
    "Y_3_a_67_79": ("Langtidsbeboere i institusjon 67–79 år", "personer", 0),
    "Y_3_a_80p": ("Langtidsbeboere i institusjon 80 år og over", "personer", 0),
    "Y_5_ialt": ("Sykepleierårsverk i pleie og omsorg", "årsverk", 1),
}
_AVERAGED = {"Y_4_ialt"}  # upstream averaged these over merged predecessors


def read_omsorg(path: Path) -> list[Batch]:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ImportRefused(f"{path.name}: the file is empty")
    header = rows[0]
    at = require_columns(header, _OMSORG_COLUMNS, path.name)
    stitcher = Stitcher()
    cells: list[Cell] = []
    skipped: Counter[str] = Counter()
    split = 0
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has {len(header)}")
        code = municipality_code(row[at["kommunenr_2024"]], f"{path.name} line {line}")
        year_text = row[at["år"]].strip()
        if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
            raise ImportRefused(f"{path.name} line {line}: {year_text!r} is not a year")
        year = int(year_text)
        hist = row[at["kommunenr_hist_kilder"]].strip()
        if not _HIST_RE.match(hist):
            raise ImportRefused(f"{path.name} line {line}: kommunenr_hist_kilder {hist!r} is not 1234 or 1234+5678")
        region: str = code
        code_year: int | None = VINTAGE
        inputs: dict[str, object] | None = None
        parts = hist.split("+")
        if len(parts) == 1 and parts[0] != code and parts[0] == stitcher.whole_predecessor(code, year, set()):
            # 1508 Ålesund 2020–2023 is old 1507 with Haram: let the code history split it.
            region, code_year = parts[0], None
            split += 1
        elif len(parts) > 1:
            inputs = {"method": "summed upstream", "from": parts}
        for column in _OMSORG_COLUMNS[3:]:
            value, status = number(row[at[column]], f"{path.name} line {line}, {column}")
            if value is None and not status:
                continue
            if column in _AVERAGED and len(parts) > 1:
                skipped[column] += 1
                continue
            cells.append(Cell(column, "", region, year_text, value, status, code_year=code_year, inputs=inputs))
    report = [f"{len(rows) - 1} rows; {split} rows of a municipality that was later split stored under its old code"]
    report += [
        f"{column}: {n} figures averaged upstream over merged municipalities, left out" for column, n in skipped.items()
    ]
    return [
        Batch(
            table_id=OMSORG,
            label="Omsorgstjenester og befolkning 2007–2025, 2024-kommuner (SSB-tall sammenstilt av Telemarksforsking)",
            source="Statistisk sentralbyrå, sammenstilt av Telemarksforsking (Framskrivningsverktøy)",
            cells=cells,
            kostra=True,
            units={c: (unit, decimals) for c, (_, unit, decimals) in _OMSORG_LABELS.items()},
            contents={c: label for c, (label, _, _) in _OMSORG_LABELS.items()},
            additive={c for c in _OMSORG_LABELS if c not in _AVERAGED},
            report=report,
            notes=[
                "Sykepleierårsverk til og med 2023 fra SSB tabell 11924, fra 2024 fra tabell 14534 (brudd i serien).",
                "2025 er ureviderte KOSTRA-tall.",
            ],
        )
    ]


_PANEL_COLUMNS = ("year", "Kommunenummer", "sentralitet", "pop", "innvandr", "ukrainere", "lege_reservekapasitet")
# (column, content, label, unit, additive, years it is whole for)
_PANEL_FIGURES = (
    ("sentralitet", "sentralitet", "Sentralitetsklasse (SSB, 1–6)", "klasse", False, None),
    ("pop", "folkemengde", "Folkemengde 1. januar", "personer", True, None),
    # The file was compiled during 2024: that year's settlements are a part of the year.
    ("innvandr", "bosatte_flyktninger", "Bosatte flyktninger i året (IMDi)", "personer", True, {2022, 2023}),
    ("ukrainere", "bosatte_ukrainere", "Bosatte flyktninger fra Ukraina i året (IMDi)", "personer", True, {2022, 2023}),
    ("innvandr_anmodet", "anmodet_bosetting", "IMDis anmodning om bosetting", "personer", True, {2024}),
    ("innvandr_vedtak", "vedtak_bosetting", "Kommunens vedtak om bosetting", "personer", True, {2024}),
    (
        "lege_reservekapasitet",
        "lege_reservekapasitet",
        "Reservekapasitet fastlege (Helsedirektoratet)",
        "prosent",
        False,
        None,
    ),
)
_YEAR_IN_TEXT = re.compile(r"\b(20\d\d)\b")


def read_kommunepanel(path: Path) -> list[Batch]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(f"{path.name}: cannot be read as a workbook ({exc})") from None
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        raise ImportRefused(f"{path.name}: the sheet is empty")
    header = [str(c) for c in rows[0]]
    at = require_columns(header, (*_PANEL_COLUMNS, "lege_category"), path.name)
    cells: list[Cell] = []
    report: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        where = f"{path.name} row {line}"
        code = municipality_code(row[at["Kommunenummer"]], where)
        year = row[at["year"]]
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ImportRefused(f"{where}: year {year!r} is not a year")
        population, _ = number(row[at["pop"]], f"{where}, pop")
        if population == 0:
            report.append(f"{code} {year}: population 0 (the municipality did not exist yet); row left out")
            continue
        # The GP figures are the latest Helsedirektoratet had; the text says which year they are for.
        gp_year = _YEAR_IN_TEXT.search(str(row[at["lege_category"]] or ""))
        for column, content, _, _, _, years in _PANEL_FIGURES:
            if column not in header or (years is not None and year not in years):
                continue
            if column == "lege_reservekapasitet" and gp_year and int(gp_year.group(1)) != year:
                continue
            value, status = number(row[header.index(column)], f"{where}, {column}")
            if value is None and not status:
                continue
            cells.append(Cell(content, "", code, str(year), value, status, code_year=VINTAGE))
    return [
        Batch(
            table_id=KOMMUNEPANEL,
            label="Kommunepanel 2022–2024 (SSB, IMDi og Helsedirektoratet, sammenstilt av Samarbeidsdesken)",
            source="SSB, IMDi og Helsedirektoratet, sammenstilt av Samarbeidsdesken",
            cells=cells,
            units={c: (unit, 0) for _, c, _, unit, _, _ in _PANEL_FIGURES},
            contents={c: label for _, c, label, _, _, _ in _PANEL_FIGURES},
            additive={c for _, c, _, _, additive, _ in _PANEL_FIGURES if additive},
            report=report,
        )
    ]
