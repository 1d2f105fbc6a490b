"""Statistikkbanken's semicolon CSV export, read into the same ``Dataset`` as a JSON-stat answer.

The export (``Lagre som → semikolonseparert``) is ISO-8859-1 with CRLF line ends: a quoted title line
("07459: Population, by region, age, contents and year"), a blank line, a header naming the stub
variables followed by one column per combination of the heading variables ("Persons 2023"), then
one row per stub combination. Codes and texts share a cell ("K-3001 Halden"). Missing cells carry
SSB's status symbols instead of a number.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from kommunedialog.statistics.jsonstat import MISSING_SYMBOLS, Dataset, Dimension, JsonStatError

_TITLE_RE = re.compile(r"^(\d{5}):\s*(.*?),?\s+by\s+(.+)$|^(\d{5}):\s*(.*?),\s*etter\s+(.+)$", re.IGNORECASE)
_TIME_RE = re.compile(r"^\d{4}([MKUH]\d{1,2})?$")
# A leading code before the text, as in "K-3001 Halden", "0301 Oslo", "EKG13 KOSTRA-gruppe 13".
_CODE_RE = re.compile(r"^((?:[A-Z]{1,5}-)?(?:\d[\dA-Za-z-]*|Rest)|EA[A-Z]*|EK[AG]\d\d)\s+(.+)$")
_GEO_NAMES = {"region", "kommune", "municipality", "fylke", "county"}
_TIME_NAMES = {"year", "år", "tid", "time", "month", "måned", "quarter", "kvartal"}
_METRIC_NAMES = {"contents", "statistikkvariabel", "statistic"}


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        # Newer exports are UTF-8; the classic Statistikkbanken export is ISO-8859-1.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def _split_code(text: str) -> tuple[str, str]:
    match = _CODE_RE.match(text)
    return (match.group(1), match.group(2)) if match else (text, text)


def _heading_names(title_dims: list[str], stub: list[str]) -> list[str]:
    stub_lower = {s.lower() for s in stub}
    return [d for d in title_dims if d.lower() not in stub_lower]


def _title_dimensions(title: str) -> tuple[str | None, str, list[str]]:
    match = _TITLE_RE.match(title)
    if not match:
        table = title.split(":", 1)[0] if title[:5].isdigit() else None
        return table, title, []
    table, label, dims = (match.group(1), match.group(2), match.group(3)) if match.group(1) else match.group(4, 5, 6)
    parts = re.split(r",\s*|\s+and\s+|\s+og\s+", dims.strip())
    return table, f"{table}: {label}", [p.strip() for p in parts if p.strip()]


def _role(name: str) -> str | None:
    low = name.lower()
    if low in _GEO_NAMES:
        return "geo"
    if low in _TIME_NAMES:
        return "time"
    if low in _METRIC_NAMES:
        return "metric"
    return None


def _number(text: str, where: str) -> tuple[float | int | None, str | None]:
    text = text.strip()
    if text in MISSING_SYMBOLS or text in ("-", ""):
        return None, text if text in MISSING_SYMBOLS else ".."
    try:
        return int(text), None
    except ValueError:
        pass
    try:
        return float(text.replace(",", ".")), None
    except ValueError:
        raise JsonStatError(f"{where}: {text[:20]!r} is neither a number nor a status symbol") from None


def parse_csv(data: bytes) -> Dataset:
    """Read one Statistikkbanken CSV export. Problems raise JsonStatError, as for JSON-stat."""
    text = _decode(data)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) < 3 or len(rows[0]) != 1:
        raise JsonStatError("Not a Statistikkbanken CSV export: the first line should be the quoted table title")
    table, label, title_dims = _title_dimensions(rows[0][0])
    body = rows[1:]
    while body and not any(cell.strip() for cell in body[0]):
        body = body[1:]
    if not body:
        raise JsonStatError("The CSV export has a title but no header")
    header, data_rows = body[0], body[1:]
    value_columns = [i for i, name in enumerate(header) if i > 0 and _TIME_RE.match(name.rsplit(" ", 1)[-1])]
    if not value_columns:
        raise JsonStatError("The CSV header has no value column ending in a period such as '2023'")
    first_value = value_columns[0]
    if value_columns != list(range(first_value, len(header))):
        raise JsonStatError("The CSV header mixes value columns and stub columns")
    stub = header[:first_value]
    heading = _heading_names(title_dims, stub) or ["contents", "year"]
    if len(heading) > 2:
        raise JsonStatError(f"Only one or two heading variables are read, the title names {', '.join(heading)}")
    # Each value column is "<contents label> <period>" (or just "<period>" with one heading variable).
    column_keys = []
    for i in value_columns:
        name = header[i]
        contents, _, period = name.rpartition(" ")
        column_keys.append((contents.strip() or name, period) if len(heading) == 2 else (name, ""))
    stub_codes: list[dict[str, str]] = [{} for _ in stub]  # per stub column: code -> label, in order
    combos: list[tuple[str, ...]] = []
    cells: dict[tuple[str, ...], tuple[Any, str | None]] = {}
    for line, row in enumerate(data_rows, start=len(rows) - len(data_rows) + 1):
        if len(row) != len(header):
            raise JsonStatError(f"Line {line}: {len(row)} fields where the header has {len(header)}")
        key: list[str] = []
        for column, cell in enumerate(row[:first_value]):
            code, text = _split_code(cell) if _role(stub[column]) == "geo" else (cell, cell)
            stub_codes[column].setdefault(code, text)
            key.append(code)
        combos.append(tuple(key))
        for offset, i in enumerate(value_columns):
            cells[(*key, *column_keys[offset])] = _number(row[i], f"Line {line}, column {header[i]!r}")
    dimensions = [
        Dimension(
            id=name,
            label=name,
            codes=tuple(codes),
            labels=tuple(codes.values()),
            role=_role(name),
        )
        for name, codes in zip(stub, stub_codes, strict=True)
    ]
    heading_values: list[dict[str, None]] = [{} for _ in heading]
    for contents, period in column_keys:
        heading_values[0].setdefault(contents, None)
        if len(heading) == 2:
            heading_values[1].setdefault(period, None)
    for name, seen in zip(heading, heading_values, strict=True):
        role = _role(name) or ("time" if name is heading[-1] and len(heading) == 2 else "metric")
        dimensions.append(Dimension(id=name, label=name, codes=tuple(seen), labels=tuple(seen), role=role))
    expected = 1
    for d in dimensions:
        expected *= d.size
    if len(cells) != expected:
        raise JsonStatError(f"The CSV has {len(cells)} distinct cells but its variables multiply to {expected}")
    values: list[int | float | None] = []
    status: dict[int, str] = {}
    for flat, combination in enumerate(_product(dimensions)):
        value, symbol = cells[combination]
        values.append(value)
        if symbol:
            status[flat] = symbol
    return Dataset(
        label=label,
        source="Statistisk sentralbyrå",
        updated=None,
        table_id=table,
        dimensions=tuple(dimensions),
        values=values,
        status_cells=list(status),
        status_symbols=list(status.values()),
    )


def _product(dimensions: list[Dimension]) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [()]
    for d in dimensions:
        keys = [(*k, code) for k in keys for code in d.codes]
    return keys
