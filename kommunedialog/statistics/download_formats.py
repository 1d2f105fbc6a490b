"""The downloads' file formats, written from ``downloads.DataRow``: CSV (streamed row by row), XLSX and
JSON-stat 2.0 as SSB writes it (``role``, ``unit`` per content code, ``status`` keyed by the value's
index, ``updated`` in UTC), so SSB's own tools, pyjstat and rjstat read it as they read SSB's answers.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook

from kommunedialog.statistics.downloads import COLUMNS, DataRow

REGION, CONTENTS, TIME = "region", "ContentsCode", "Tid"
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
SPOOL_BYTES = 4 * 1024 * 1024
SOURCE = "Kommunedialog, from Statistisk sentralbyrå (SSB) and the other publishers named per figure"


def moment(value: dt.datetime | None) -> str:
    """A time as SSB writes ``updated``: UTC, seconds, ``Z``."""
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def number(value: float | None) -> float | int | None:
    """A whole number without SSB's trailing ``.0``; others exactly as stored."""
    if value is not None and value.is_integer():
        return int(value)
    return value


def _cell(name: str, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return moment(value)
    if name == "value":
        return number(value)
    return "" if value is None else value


def _cells(row: DataRow) -> list[Any]:
    return [_cell(name, getattr(row, name)) for name in COLUMNS]


class _Line:
    """csv.writer writes into this and gets the line back, so each row is sent as soon as it is read."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[DataRow]) -> Iterator[str]:
    """UTF-8 CSV, a header row, one figure per row (RFC 4180 line ends)."""
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(_cells(row))


def xlsx_file(rows: Iterable[DataRow], *, title: str) -> IO[bytes]:
    """A workbook with the figures on the first sheet (a header row, one figure per row) and what they
    are on the second, written row by row in openpyxl's write-only mode into a temporary file (on disk
    once it outgrows ``SPOOL_BYTES``), ready to be sent in chunks."""
    book = Workbook(write_only=True)
    data = book.create_sheet("data")
    data.append(list(COLUMNS))
    for row in rows:
        data.append(_cells(row))
    about = book.create_sheet("about")
    for line in (("title", title), ("source", SOURCE), ("licence", LICENCE)):
        about.append(list(line))
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the response closes it)
    book.save(out)
    out.seek(0)
    return out


def jsonstat(rows: Iterable[DataRow], *, label: str) -> dict[str, Any]:
    """One JSON-stat 2.0 dataset: region × content code (indicator) × year, with SSB's roles; a missing
    value is ``null`` with its symbol in ``status``; each region's kind (municipality, KOSTRA group, county,
    country) and each figure's table are in the dimensions' ``extension``."""
    regions: dict[str, str] = {}
    kinds: dict[str, str] = {}
    indicators: dict[str, DataRow] = {}
    years: set[int] = set()
    cells: dict[tuple[str, str, int], DataRow] = {}
    newest: dt.datetime | None = None
    for row in rows:
        regions.setdefault(row.region, row.region_name)
        kinds.setdefault(row.region, row.region_kind)
        indicators.setdefault(row.indicator, row)
        years.add(row.year)
        cells[(row.region, row.indicator, row.year)] = row
        when = row.updated or row.fetched_at
        if when is not None and (newest is None or when > newest):
            newest = when
    ordered_years = sorted(years)
    values: list[float | int | None] = []
    status: dict[str, str] = {}
    for region in regions:
        for key in indicators:
            for year in ordered_years:
                found = cells.get((region, key, year))
                if found is not None and found.status:
                    status[str(len(values))] = found.status
                values.append(number(found.value) if found is not None else None)
    dataset: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": SOURCE,
        "updated": moment(newest) or moment(dt.datetime.now(dt.UTC)),
        "note": [f"Licence: {LICENCE}."],
        "role": {"time": [TIME], "geo": [REGION], "metric": [CONTENTS]},
        "id": [REGION, CONTENTS, TIME],
        "size": [len(regions), len(indicators), len(ordered_years)],
        "dimension": {
            REGION: {
                "label": "region",
                "category": {"index": {c: i for i, c in enumerate(regions)}, "label": regions},
                "extension": {"kind": kinds},
            },
            CONTENTS: {
                "label": "statistikkvariabel",
                "category": {
                    "index": {k: i for i, k in enumerate(indicators)},
                    "label": {k: r.indicator_name for k, r in indicators.items()},
                    "unit": {k: {"base": r.unit, "decimals": r.decimals} for k, r in indicators.items()},
                },
            },
            TIME: {
                "label": "år",
                "category": {
                    "index": {str(y): i for i, y in enumerate(ordered_years)},
                    "label": {str(y): str(y) for y in ordered_years},
                },
            },
        },
        "value": values,
    }
    if status:
        dataset["status"] = status
    return dataset
