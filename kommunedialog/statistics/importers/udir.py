"""Udir's Statistikkbanken export of grunnskolepoeng (lower secondary school points) per municipality.

One row per unit (``EnhetNivaa`` 1 country, 2 county, 3 municipality, 4 school), one column per school
year and measure, plus ``….Brudd`` footnote columns. Codes are in the vintage of each school year
(pre-2020 codes carry 2015-16 … 2018-19, the 2020–2023 codes 2019-20 on) and stored as numbers (Oslo is
``301``). Points are stored with the number of pupils, so the code history can combine merged
municipalities' points weighted by their pupils. ``*`` (too few pupils) is kept as suppressed.
"""

from __future__ import annotations

import re
from pathlib import Path

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.values import municipality_code, number

DATASET = "udir-grunnskolepoeng"
_COLUMN_RE = re.compile(r"^(\d{4})-(\d{2})\.Alle eierformer\.Begge kjønn\.(Grunnskolepoeng|Antall elever)(\.Brudd)?$")
_CONTENT = {"Grunnskolepoeng": "grunnskolepoeng", "Antall elever": "elever"}


def read(path: Path) -> list[Batch]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(f"{path.name}: cannot be read as a workbook ({exc})") from None
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows or rows[0][:4] != ("EnhetNivaa", "Nasjonaltkode", "Fylkekode", "Kommunekode"):
        raise ImportRefused(f"{path.name}: not Udir's export (the header must start EnhetNivaa, Nasjonaltkode, …)")
    header = [str(c) for c in rows[0]]
    columns = []
    for i, name in enumerate(header[9:], start=9):
        match = _COLUMN_RE.match(name)
        if match is None:
            raise ImportRefused(
                f"{path.name}: column {name!r} is not '<school year>.Alle eierformer.Begge kjønn.<measure>'"
            )
        if not match.group(4):
            # The school year 2015-16 ends in 2016: the figure belongs to that year, as in KOSTRA.
            columns.append((i, _CONTENT[match.group(3)], f"{match.group(1)}-{match.group(2)}", int(match.group(1)) + 1))
    notes: set[str] = set()
    cells: list[Cell] = []
    schools = 0
    for line, row in enumerate(rows[1:], start=2):
        level = row[0]
        where = f"{path.name} row {line}"
        if level == 4:
            schools += 1
            continue
        if level == 1:
            region = "EAK"
        elif level == 2:
            county = row[2]
            if not isinstance(county, int):
                raise ImportRefused(f"{where}: a county row without a county number")
            region = f"EKA{county:02d}"
        elif level == 3:
            region = municipality_code(row[3], where)
        else:
            raise ImportRefused(f"{where}: EnhetNivaa {level!r} is not 1–4")
        for i, content, period, year in columns:
            if row[i] == "*":
                value, status = None, ":"  # Udir's mark for too few pupils to publish
            else:
                value, status = number(row[i], f"{where}, {header[i]}")
            if value is None and not status:
                continue
            cells.append(Cell(content, "", region, period, value, status, region_label=str(row[8] or ""), year=year))
        notes.update(str(row[i]) for i, name in enumerate(header) if name.endswith(".Brudd") and row[i])
    return [
        Batch(
            table_id=DATASET,
            label="Grunnskolepoeng, alle eierformer, begge kjønn, skoleårene 2015–16 til 2020–21 (Udir)",
            source="Utdanningsdirektoratet (Udir)",
            cells=cells,
            units={"grunnskolepoeng": ("poeng", 1), "elever": ("elever", 0)},
            contents={"grunnskolepoeng": "Grunnskolepoeng", "elever": "Antall elever"},
            additive={"elever"},
            weight_by={"grunnskolepoeng": "elever"},
            notes=sorted(notes),
            report=[f"{schools} school rows left out (the kommunebilde reads municipalities)"],
        )
    ]
