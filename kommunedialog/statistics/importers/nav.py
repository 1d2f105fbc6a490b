"""NAV's monthly figures for the country, the 15 counties (by name, 2024 structure) and Telemark's 17
municipalities (by name), as compiled by Telemark fylkeskommune.

Kept: registered wholly unemployed as a share of the labour force (both sexes), and people with reduced
work capacity as a share of the population 18–66 (both sexes). Each month is stored as NAV gave it;
the annual average is the mean of a year's twelve monthly shares, computed here and said so (a year
without all twelve months gets none).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from pathlib import Path

from kommunedialog.statistics.cells import Batch, Cell, ImportRefused
from kommunedialog.statistics.importers.names import COUNTRY_NAMES, NameMatcher, normalise
from kommunedialog.statistics.importers.values import number

LEDIGHET = "nav-ledighet"
NEDSATT = "nav-nedsatt-arbeidsevne"
VINTAGE = dt.date(2024, 6, 1)
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-01$")
_OUTSIDE = {"svalbard og øvrige områder", "ukjent"}


def _read(path: Path, header: list[str]) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    if not rows or rows[0] != header:
        raise ImportRefused(f"{path.name}: the header must be {','.join(header)}")
    return rows[1:]


def _region(level: str, name: str, matcher: NameMatcher, where: str) -> str | None:
    if level == "Landet" or normalise(name) in COUNTRY_NAMES:
        return "EAK"
    if level == "Fylker":
        if normalise(name) in _OUTSIDE:
            return None
        county = matcher.county_of(name)
        if county is None:
            matcher.unmatched.append(name.strip())
            return None
        return f"EKA{county}"
    if level.endswith("kommuner"):
        return matcher.match(name.strip())
    raise ImportRefused(f"{where}: Nivå {level!r} is not Landet, Fylker or … kommuner")


def _monthly_and_mean(
    path: Path, rows: list[tuple[str, str, str, str, float | None, str]], *, content: str, scale: float
) -> tuple[list[Cell], list[str]]:
    """Cells per month, and the mean of each complete year: (level, name, date, region, value, status)."""
    cells, by_year = [], defaultdict(list)
    for _level, name, date, region, value, status in rows:
        match = _DATE_RE.match(date)
        assert match is not None
        # Scaling a fraction to percent leaves float noise (0.024 × 100 = 2.4000000000000004): round it off.
        shown = None if value is None or scale == 1 else round(value * scale, 10)
        shown = value if scale == 1 else shown
        period = f"{match.group(1)}M{match.group(2)}"
        cells.append(Cell(content, "", region, period, shown, status, region_label=name, code_year=VINTAGE.year))
        by_year[(region, int(match.group(1)), name)].append((period, shown))
    report = []
    for (region, year, name), months in sorted(by_year.items()):
        values = [v for _, v in months if v is not None]
        if len({p for p, _ in months}) != 12 or len(values) != 12:
            if region == "EAK":
                report.append(f"{year}: {len(values)} months with a figure; no annual average")
            continue
        cells.append(
            Cell(
                f"{content}_arssnitt",
                "",
                region,
                str(year),
                sum(values) / 12,
                region_label=name,
                code_year=VINTAGE.year,
                inputs={"method": "mean of the twelve monthly figures", "months": sorted(p for p, _ in months)},
            )
        )
    return cells, report


def read_ledighet(path: Path) -> list[Batch]:
    header = [
        "Nivå",
        "Geografisk enhet",
        "Arbeidsmarkedsstatus",
        "Kjønn",
        "Antall personer",
        "Andel av arbeidsstyrken",
        "Dato",
    ]
    matcher = NameMatcher(on=VINTAGE)
    kept = []
    for line, row in enumerate(_read(path, header), start=2):
        if len(row) != len(header):
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has {len(header)}")
        level, name, status_text, sex, _count, share, date = row
        if status_text != "Helt ledige" or sex != "Begge kjønn":
            continue
        if not _DATE_RE.match(date):
            raise ImportRefused(f"{path.name} line {line}: Dato {date!r} is not YYYY-MM-01")
        region = _region(level, name, matcher, f"{path.name} line {line}")
        if region is None:
            continue
        value, status = number(share, f"{path.name} line {line}, Andel av arbeidsstyrken")
        if value is None and not status:
            status = ".."
        kept.append((level, name.strip(), date, region, value, status))
    problems = matcher.problems(path.name)
    if problems:
        raise ImportRefused("; ".join(problems))
    # NAV gives the share as a fraction (0.024); the kommunebilde shows percent.
    cells, report = _monthly_and_mean(path, kept, content="helt_ledige_andel", scale=100)
    return [
        Batch(
            table_id=LEDIGHET,
            label="Helt ledige i prosent av arbeidsstyrken, begge kjønn, månedlig 2011–2026 (NAV)",
            source="Arbeids- og velferdsetaten (NAV)",
            cells=cells,
            units={"helt_ledige_andel": ("prosent", 1), "helt_ledige_andel_arssnitt": ("prosent", 1)},
            contents={
                "helt_ledige_andel": "Helt ledige, andel av arbeidsstyrken",
                "helt_ledige_andel_arssnitt": "Helt ledige, andel av arbeidsstyrken, årsgjennomsnitt",
            },
            report=report,
        )
    ]


def read_nedsatt(path: Path) -> list[Batch]:
    header = ["Nivå", "Geografisk enhet", "Kjønn", "Alder", "Antall personer", "Andel av befolkningen", "Dato"]
    matcher = NameMatcher(on=VINTAGE)
    kept = []
    for line, row in enumerate(_read(path, header), start=2):
        if len(row) != len(header):
            raise ImportRefused(f"{path.name} line {line}: {len(row)} fields where the header has {len(header)}")
        level, name, sex, age, _count, share, date = row
        if sex != "Begge kjønn" or age != "18 - 66 år":
            continue
        if not _DATE_RE.match(date):
            raise ImportRefused(f"{path.name} line {line}: Dato {date!r} is not YYYY-MM-01")
        region = _region(level, name, matcher, f"{path.name} line {line}")
        if region is None:
            continue
        value, status = number(share, f"{path.name} line {line}, Andel av befolkningen")
        if value is None and not status:
            status = ".."
        kept.append((level, name.strip(), date, region, value, status))
    problems = matcher.problems(path.name)
    if problems:
        raise ImportRefused("; ".join(problems))
    cells, report = _monthly_and_mean(path, kept, content="andel_18_66", scale=1)
    return [
        Batch(
            table_id=NEDSATT,
            label="Personer med nedsatt arbeidsevne i prosent av befolkningen 18–66 år, månedlig 2011–2025 (NAV)",
            source="Arbeids- og velferdsetaten (NAV)",
            cells=cells,
            units={"andel_18_66": ("prosent", 1), "andel_18_66_arssnitt": ("prosent", 1)},
            contents={
                "andel_18_66": "Nedsatt arbeidsevne, andel av befolkningen 18–66 år",
                "andel_18_66_arssnitt": "Nedsatt arbeidsevne, andel av befolkningen 18–66 år, årsgjennomsnitt",
            },
            report=report,
        )
    ]
