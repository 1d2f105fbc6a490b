"""Folkehelseinstituttet's statistics bank, two exports that name municipalities by name only.

* Kommunehelsa (khs.fhi.no, 2015): cardiovascular mortality 0–74 per 100 000, standardised, ten-year
  rolling periods 1998–2007 … 2003–2012, for the 428 municipalities of 2016.
* Barnevernstiltak 0–17 år (nøkkel table 337) for the country, Telemark and its 17 municipalities of
  2024, 2015–2024, flattened upstream with the share divided by 100: multiplied back to a percentage
  here (exact: upstream rounded the fraction to three decimals).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.names import COUNTRY_NAMES, NameMatcher, normalise
from kommunedialog.statistics.importers.values import number

HJERTEKAR = "fhi-hjertekar"
BARNEVERN = "fhi-barnevern"
# The export is from 2015 and names the municipalities of 2013–2016 (Harstad after Bjarkøy, Andebu
# before Sandefjord): its names are matched against the register on this date.
HJERTEKAR_VINTAGE = dt.date(2016, 1, 1)
TELEMARK_VINTAGE = dt.date(2024, 6, 1)
_PERIOD_RE = re.compile(r"^(\d{4})-(\d{4})$")


def _rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_hjertekar(path: Path) -> list[Batch]:
    rows = _rows(path)
    start = next((i for i, r in enumerate(rows) if r[:2] == ["Geografi", "Dødsårsak"]), None)
    if start is None:
        raise ImportRefused(f'{path.name}: no header row starting "Geografi","Dødsårsak"')
    periods = rows[start][2:]
    spans = [_PERIOD_RE.match(p) for p in periods]
    if not periods or not all(spans):
        raise ImportRefused(f"{path.name}: the header's periods must read like 1998-2007, found {periods}")
    matcher = NameMatcher(on=HJERTEKAR_VINTAGE)
    cells: list[Cell] = []
    causes = set()
    for line, row in enumerate(rows[start + 1 :], start=start + 2):
        if not row or not row[0].strip():
            continue
        if len(row) != len(periods) + 2:
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has {len(periods) + 2}")
        name, cause = row[0].strip(), row[1].strip()
        causes.add(cause)
        code = matcher.match(name)
        if code is None:
            continue
        for period, span, raw in zip(periods, spans, row[2:], strict=True):
            value, status = number(raw, f"{path.name} line {line}, {period}")
            assert span is not None
            cells.append(
                Cell(
                    "dodelighet",
                    "",
                    code,
                    period,
                    value,
                    status,
                    region_label=name,
                    year=int(span.group(2)),
                    code_year=HJERTEKAR_VINTAGE.year,
                )
            )
    problems = matcher.problems(path.name)
    if len(causes) > 1:
        problems.append(f"{path.name}: more than one cause of death ({', '.join(sorted(causes))}); expected one")
    if problems:
        raise ImportRefused("; ".join(problems))
    return [
        Batch(
            table_id=HJERTEKAR,
            label="Dødelighet av hjerte- og karsykdommer (I00-I99), 0–74 år, per 100 000, standardisert (FHI Kommunehelsa)",
            source="Folkehelseinstituttet (Kommunehelsa statistikkbank)",
            cells=cells,
            units={"dodelighet": ("per 100 000, standardisert", 1)},
            contents={"dodelighet": next(iter(causes), "")},
            report=[
                f"{len(matcher.matched)} municipality names matched to the municipalities of {HJERTEKAR_VINTAGE.year}"
            ],
            notes=["Tiårige glidende gjennomsnitt; året er det siste i perioden."],
        )
    ]


def read_barnevern(path: Path) -> list[Batch]:
    rows = _rows(path)
    if not rows or rows[0] != ["Geografi", "År", "Kjønn", "Alder", "Andel"]:
        raise ImportRefused(f"{path.name}: the header must be Geografi,År,Kjønn,Alder,Andel")
    matcher = NameMatcher(on=TELEMARK_VINTAGE)
    cells: list[Cell] = []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 5:
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has 5")
        name, date, sex, age, share = (c.strip() for c in row)
        if not re.match(r"^\d{4}-01-01$", date):
            raise ImportRefused(f"{path.name} line {line}: År {date!r} is not YYYY-01-01")
        if sex != "Kjønn samlet" or age != "0-17":
            raise ImportRefused(f"{path.name} line {line}: expected Kjønn samlet and 0-17, found {sex!r}, {age!r}")
        value, status = number(share, f"{path.name} line {line}, Andel")
        if value is None and not status:
            status = ":"  # the upstream script blanked FHI's ":" (too few to publish)
        if normalise(name) in COUNTRY_NAMES:
            region = "EAK"
        elif (county := matcher.county_of(name)) is not None and matcher.match(name) is None:
            region = f"EKA{county}"
            matcher.unmatched.remove(name)
        else:
            region = matcher.match(name) or ""
            if not region:
                continue
        percent = None if value is None else round(value * 100, 10)
        cells.append(
            Cell("andel", "", region, date[:4], percent, status, region_label=name, code_year=TELEMARK_VINTAGE.year)
        )
    problems = matcher.problems(path.name)
    if problems:
        raise ImportRefused("; ".join(problems))
    return [
        Batch(
            table_id=BARNEVERN,
            label="Barn 0–17 år med barnevernstiltak, andel (FHI statistikkbank, nøkkeltabell 337)",
            source="Folkehelseinstituttet (statistikkbank)",
            cells=cells,
            units={"andel": ("prosent", 1)},
            contents={"andel": "Barn med barnevernstiltak, andel av barn 0–17 år"},
            notes=["Oppstrøms delt på 100 og avrundet til tre desimaler; her ganget med 100 igjen."],
        )
    ]
