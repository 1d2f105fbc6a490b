"""A strict, fast reader for JSON-stat 2.0 datasets as SSB's PxWebApi (v1 and v2) returns them.

Strict: anything that does not add up (sizes, indexes, value count, types, a truncated file) raises
``JsonStatError`` with a message that says what is wrong and where; nothing else escapes ``parse``.
Fast: the document is decoded once with orjson and checked with C-level built-ins, so parsing costs
little more than decoding. Cells are not materialised as Python objects until someone iterates them.

Status symbols (``.`` not applicable, ``..`` missing, ``:`` suppressed) are kept as status and the
value of such a cell is ``None`` — never zero — whatever the file says.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Any, NamedTuple

import orjson

# Symbols that mean "there is no number here". Other symbols (rare in SSB data) travel with a value.
MISSING_SYMBOLS = frozenset({".", "..", ":"})
ROLES = ("time", "geo", "metric")
_TABLE_RE = re.compile(r"^\s*(\d{5})\s*:")
_NUMBER_TYPES = frozenset({int, float, type(None)})
# SSB answers at most 800 000 cells; anything far beyond that is a broken document, not data.
MAX_CELLS = 20_000_000


class JsonStatError(ValueError):
    """The document is not a JSON-stat 2.0 dataset this reader accepts; the message says why."""


class Unit(NamedTuple):
    base: str
    decimals: int | None
    label: str | None = None
    symbol: str | None = None


# Plain (not frozen) dataclasses: a frozen one costs a setattr call per field, which for small
# answers is most of the parse time. Treat them as read-only all the same.
@dataclass(eq=False)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]  # in storage order
    labels: tuple[str, ...]  # parallel to codes
    role: str | None = None
    units: Mapping[str, Unit] = field(default_factory=dict)
    elimination: bool | None = None  # v2 metadata: may the variable be left out of a query
    codelists: tuple[str, ...] = ()  # v2 metadata: ids of alternative code lists
    extension: Mapping[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.codes)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}

    def position(self, code: str) -> int:
        try:
            return self._positions[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a category of dimension {self.id!r}") from None

    def label_of(self, code: str) -> str:
        return self.labels[self.position(code)]


@dataclass(eq=False)
class Dataset:
    label: str
    source: str
    updated: dt.datetime | None
    table_id: str | None
    dimensions: tuple[Dimension, ...]
    # None for a metadata document (SSB's /metadata answers carry no values).
    values: list[int | float | None] | None
    # The cells with a status symbol, as two parallel lists (``status`` gives them as a mapping).
    status_cells: list[int]
    status_symbols: list[str]
    notes: tuple[str, ...] = ()
    mandatory_notes: tuple[str, ...] = ()
    extension: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    @property
    def size(self) -> tuple[int, ...]:
        return tuple(d.size for d in self.dimensions)

    @property
    def cells(self) -> int:
        return math.prod(self.size)

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(f"No dimension {dimension_id!r}; the dataset has {', '.join(self.ids)}")

    def role(self, role: str) -> Dimension | None:
        """The dimension with this role, from ``role`` or from SSB's naming when ``role`` is absent."""
        for d in self.dimensions:
            if d.role == role:
                return d
        return None

    @cached_property
    def status(self) -> dict[int, str]:
        return dict(zip(self.status_cells, self.status_symbols, strict=True))

    def status_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.status_symbols).items()))

    @cached_property
    def _strides(self) -> tuple[int, ...]:
        strides, step = [], 1
        for d in reversed(self.dimensions):
            strides.append(step)
            step *= d.size
        return tuple(reversed(strides))

    def flat_index(self, codes: Mapping[str, str]) -> int:
        return sum(d.position(codes[d.id]) * s for d, s in zip(self.dimensions, self._strides, strict=True))

    def cell(self, **codes: str) -> tuple[int | float | None, str | None]:
        """The value and status symbol of one cell, e.g. ``cell(Tid="2024", ContentsCode=..., ...)``."""
        if self.values is None:
            raise JsonStatError("This is a metadata document: it has no values")
        i = self.flat_index(codes)
        return self.values[i], self.status.get(i)

    def iter_cells(self) -> Iterator[tuple[tuple[str, ...], int | float | None, str | None]]:
        """Every cell in storage order as (codes in dimension order, value, status)."""
        if self.values is None:
            return
        codes = [d.codes for d in self.dimensions]
        status = self.status
        index = [0] * len(codes)
        sizes = [len(c) for c in codes]
        last = len(codes) - 1
        for flat, value in enumerate(self.values):
            yield tuple(c[i] for c, i in zip(codes, index, strict=True)), value, status.get(flat)
            k = last
            while k >= 0:
                index[k] += 1
                if index[k] < sizes[k]:
                    break
                index[k] = 0
                k -= 1


def _fail(message: str) -> JsonStatError:
    return JsonStatError(message)


def _text(obj: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise _fail(f"{where}: '{key}' is missing")
        return ""
    if not isinstance(value, str):
        raise _fail(f"{where}: '{key}' must be a string, not {type(value).__name__}")
    return value


def _parse_updated(raw: Any) -> dt.datetime | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise _fail(f"'updated' must be an ISO 8601 string, not {type(raw).__name__}")
    try:
        parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        raise _fail(f"'updated' is not an ISO 8601 time: {raw[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _category_codes(dim_id: str, category: Mapping[str, Any], size: int) -> tuple[str, ...]:
    index = category.get("index")
    labels = category.get("label")
    where = f"dimension {dim_id!r}"
    if index is None:
        # JSON-stat allows leaving out the index of a one-category dimension: the label names it.
        if isinstance(labels, dict) and len(labels) == 1 and size == 1:
            return (next(iter(labels)),)
        raise _fail(f"{where}: 'category.index' is missing")
    if isinstance(index, list):
        if set(map(type, index)) - {str}:
            raise _fail(f"{where}: 'category.index' must list codes as strings")
        codes = tuple(index)
        if len(set(codes)) != len(codes):
            raise _fail(f"{where}: 'category.index' lists a code twice")
    elif isinstance(index, dict):
        positions = list(index.values())
        if positions == list(range(len(positions))):
            codes = tuple(index)  # SSB lists the codes in order: no sorting needed
        else:
            if set(map(type, positions)) - {int}:
                raise _fail(f"{where}: 'category.index' positions must be integers")
            if len(set(positions)) != len(positions) or (
                positions and (min(positions), max(positions)) != (0, len(positions) - 1)
            ):
                raise _fail(f"{where}: 'category.index' positions are not 0…{len(positions) - 1} each once")
            codes = tuple(sorted(index, key=index.__getitem__))
    else:
        raise _fail(f"{where}: 'category.index' must be an object or an array, not {type(index).__name__}")
    if len(codes) != size:
        raise _fail(f"{where}: 'size' says {size} categories but 'category.index' has {len(codes)}")
    return codes


def _category_labels(dim_id: str, category: Mapping[str, Any], codes: tuple[str, ...]) -> tuple[str, ...]:
    labels = category.get("label")
    if labels is None:
        return codes
    if not isinstance(labels, dict):
        raise _fail(f"dimension {dim_id!r}: 'category.label' must be an object")
    texts = tuple(labels.values())
    try:
        "".join(texts)
    except TypeError:
        raise _fail(f"dimension {dim_id!r}: category labels must be strings") from None
    if len(texts) == len(codes) and tuple(labels) == codes:
        return texts  # SSB writes the labels in the codes' order: no lookups needed
    return tuple(map(labels.get, codes, codes))


def _units(dim_id: str, category: Mapping[str, Any], codes: tuple[str, ...]) -> dict[str, Unit]:
    raw = category.get("unit")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(f"dimension {dim_id!r}: 'category.unit' must be an object")
    known = set(codes)
    units = {}
    text = (str, type(None))
    for code, spec in raw.items():
        if code not in known:
            raise _fail(f"dimension {dim_id!r}, unit of {code!r}: no such category")
        if type(spec) is not dict:
            raise _fail(f"dimension {dim_id!r}, unit of {code!r}: must be an object")
        decimals = spec.get("decimals")
        if decimals is not None and (type(decimals) is not int or decimals < 0 or decimals > 15):
            raise _fail(f"dimension {dim_id!r}, unit of {code!r}: 'decimals' must be a whole number from 0 to 15")
        base, label, symbol = spec.get("base", ""), spec.get("label"), spec.get("symbol")
        if type(base) is not str or type(label) not in text or type(symbol) not in text:
            raise _fail(f"dimension {dim_id!r}, unit of {code!r}: 'base', 'label' and 'symbol' must be strings")
        units[code] = Unit(base, decimals, label, symbol)
    return units


def _roles(doc: Mapping[str, Any], ids: Sequence[str]) -> dict[str, str]:
    raw = doc.get("role")
    by_dimension: dict[str, str] = {}
    if raw is None:
        return by_dimension
    if not isinstance(raw, dict):
        raise _fail("'role' must be an object")
    for role, members in raw.items():
        if not isinstance(members, list) or set(map(type, members)) - {str}:
            raise _fail(f"role {role!r} must list dimension ids as strings")
        for member in members:
            if member not in ids:
                raise _fail(f"role {role!r} names dimension {member!r}, which is not in 'id'")
            if role in ROLES:
                by_dimension[member] = role
    return by_dimension


# SSB's v1 answers sometimes leave ``geo`` out of ``role``; its variable names say it.
_GUESSED_ROLES = {
    "Tid": "time",
    "ContentsCode": "metric",
    "Region": "geo",
    "KOKkommuneregion0000": "geo",
    "KOKfylkesregion0000": "geo",
    "KOKbydelsregion0000": "geo",
}


def _dimension(dim_id: str, raw: Any, size: int, role: str | None) -> Dimension:
    if not isinstance(raw, dict):
        raise _fail(f"dimension {dim_id!r} must be an object")
    category = raw.get("category")
    if not isinstance(category, dict):
        raise _fail(f"dimension {dim_id!r}: 'category' is missing or not an object")
    codes = _category_codes(dim_id, category, size)
    extension = raw.get("extension") or {}
    if not isinstance(extension, dict):
        raise _fail(f"dimension {dim_id!r}: 'extension' must be an object")
    elimination = extension.get("elimination")
    if elimination is not None and not isinstance(elimination, bool):
        raise _fail(f"dimension {dim_id!r}: 'extension.elimination' must be true or false")
    codelists: list[str] = []
    lists = extension.get("codelists") or extension.get("codeLists") if extension else None
    if lists and isinstance(lists, list):
        for item in lists:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                codelists.append(item["id"])
            elif isinstance(item, str):
                codelists.append(item)
    label = raw.get("label", dim_id)
    if type(label) is not str:
        raise _fail(f"dimension {dim_id!r}: 'label' must be a string, not {type(label).__name__}")
    return Dimension(
        dim_id,
        label or dim_id,
        codes,
        _category_labels(dim_id, category, codes),
        role or _GUESSED_ROLES.get(dim_id),
        _units(dim_id, category, codes) if "unit" in category else {},
        elimination,
        tuple(codelists),
        extension,
    )


def _values(raw: Any, cells: int, *, decoded: bool) -> list[int | float | None]:
    if isinstance(raw, dict):
        # The sparse form: {flat index as string: value}.
        values: list[int | float | None] = [None] * cells
        for key, value in raw.items():
            if not key.isdecimal() or int(key) >= cells:
                raise _fail(f"'value' has index {key[:20]!r}, outside 0…{cells - 1}")
            values[int(key)] = value
    elif isinstance(raw, list):
        values = raw
    else:
        raise _fail(f"'value' must be an array or an object, not {type(raw).__name__}")
    if len(values) != cells:
        raise _fail(f"'value' has {len(values)} numbers but the sizes multiply to {cells} cells")
    kinds = set(map(type, values))
    if kinds - _NUMBER_TYPES:
        bad = next(v for v in values if type(v) not in _NUMBER_TYPES)
        raise _fail(f"'value' must hold numbers or null, found {type(bad).__name__} {str(bad)[:20]!r}")
    # JSON cannot spell NaN or Infinity and orjson refuses them, so a document we decoded holds none;
    # only a mapping someone else built can.
    if not decoded and float in kinds and not all(map(math.isfinite, (v for v in values if type(v) is float))):
        raise _fail("'value' holds a number that is not finite")
    return values


def _status(raw: Any, cells: int) -> tuple[list[int], list[str]]:
    """The cells that carry a status symbol and their symbols, checked cheaply (C-level passes only)."""
    if raw is None:
        return [], []
    if isinstance(raw, str):
        return (list(range(cells)), [raw] * cells) if raw else ([], [])
    if isinstance(raw, list):
        if len(raw) == 1 and cells != 1:
            # A one-element array applies to every cell.
            if not isinstance(raw[0], str | None):
                raise _fail("'status' entries must be strings or null")
            return (list(range(cells)), [raw[0]] * cells) if raw[0] else ([], [])
        if len(raw) != cells:
            raise _fail(f"'status' has {len(raw)} entries but there are {cells} cells")
        if set(map(type, raw)) - {str, type(None)}:
            raise _fail("'status' entries must be strings or null")
        positions = [i for i, s in enumerate(raw) if s]
        return positions, [raw[i] for i in positions]
    if isinstance(raw, dict):
        if not raw:
            return [], []
        # One C-level check for all keys: the joined keys are digits only, and none is empty.
        if not "".join(raw).isdecimal() or "" in raw:
            raise _fail("'status' keys must be cell indexes")
        symbols = list(raw.values())
        try:
            "".join(symbols)
        except TypeError:
            raise _fail("'status' symbols must be strings") from None
        try:
            # orjson turns the digit strings into ints far faster than int() one by one.
            positions = orjson.loads("[" + ",".join(raw) + "]")
        except orjson.JSONDecodeError:  # leading zeros are not JSON numbers
            positions = list(map(int, raw))
        if max(positions) >= cells:
            raise _fail(f"'status' names cell {max(positions)}, outside 0…{cells - 1}")
        return positions, symbols
    raise _fail(f"'status' must be a string, an array or an object, not {type(raw).__name__}")


def _blank_missing(
    values: list[int | float | None], positions: list[int], symbols: list[str]
) -> list[int | float | None]:
    """A cell marked '.', '..' or ':' has no number, whatever the file puts there."""
    if set(symbols) <= MISSING_SYMBOLS:
        missing = positions
    else:
        missing = [i for i, s in zip(positions, symbols, strict=True) if s in MISSING_SYMBOLS]
    if not missing:
        return values
    found = itemgetter(*missing)(values)
    if len(missing) == 1:
        found = (found,)
    if found.count(None) == len(missing):
        return values
    values = list(values)  # the caller's document is not ours to change
    for i in missing:
        values[i] = None
    return values


def _notes(doc: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = doc.get("note") or []
    if not isinstance(raw, list) or set(map(type, raw)) - {str}:
        raise _fail("'note' must be an array of strings")
    extension = doc.get("extension") or {}
    mandatory = extension.get("noteMandatory") if isinstance(extension, dict) else None
    flagged: tuple[str, ...] = ()
    if isinstance(mandatory, dict):
        flagged = tuple(raw[int(k)] for k, v in mandatory.items() if v is True and k.isdecimal() and int(k) < len(raw))
    return tuple(raw), flagged


def _table_id(doc: Mapping[str, Any], label: str) -> str | None:
    extension = doc.get("extension")
    if isinstance(extension, dict):
        px = extension.get("px")
        if isinstance(px, dict) and isinstance(px.get("tableid"), str) and px["tableid"]:
            return str(px["tableid"])
    match = _TABLE_RE.match(label)
    return match.group(1) if match else None


def _describe(doc: Mapping[str, Any]) -> str:
    """Name the SSB documents people mistake for data, so the error says what the file is."""
    if "queryObj" in doc or "query" in doc:
        return "this is a PxWebApi query body (Statistikkbanken's 'API-spørring' export)"
    if "maxDataCells" in doc:
        return "this is PxWebApi's /config answer"
    if doc.get("type") == "Table":
        return "this is a PxWebApi table description (GET /tables/{id})"
    if "tables" in doc and "page" in doc:
        return "this is a PxWebApi table search answer"
    keys = ", ".join(sorted(str(k) for k in doc)[:6])
    return f"it has no 'class' (its keys are {keys or 'none'})"


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """Decode JSON, turning every decoding failure (bad syntax, truncation, bad UTF-8) into JsonStatError."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise JsonStatError(f"Not valid JSON ({exc}); is the file truncated?") from None


def parse(data: bytes | bytearray | memoryview | str | Mapping[str, Any], *, require_values: bool = True) -> Dataset:
    """Read one JSON-stat 2.0 dataset. ``require_values=False`` also accepts SSB's metadata answers."""
    decoded = isinstance(data, bytes | bytearray | memoryview | str)
    doc = loads(data) if isinstance(data, bytes | bytearray | memoryview | str) else data
    if not isinstance(doc, dict):
        raise _fail(f"A JSON-stat dataset is an object, not {type(doc).__name__}")
    klass = doc.get("class")
    if klass != "dataset":
        if klass is None and isinstance(doc.get("dataset"), dict):
            raise _fail("This is JSON-stat 1.x (a 'dataset' wrapper); ask SSB for json-stat2")
        if klass is None:
            raise _fail(f"Not a JSON-stat dataset: {_describe(doc)}")
        raise _fail(f"'class' must be \"dataset\", not {str(klass)[:30]!r}")
    version = doc.get("version", "2.0")
    if version != "2.0":
        raise _fail(f"Only JSON-stat version 2.0 is read, not {str(version)[:20]!r}")
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not isinstance(ids, list) or not ids or set(map(type, ids)) - {str}:
        raise _fail("'id' must be a non-empty array of dimension ids")
    if len(set(ids)) != len(ids):
        raise _fail("'id' lists a dimension twice")
    if not isinstance(sizes, list) or set(map(type, sizes)) - {int} or any(s < 0 for s in sizes):
        raise _fail("'size' must be an array of whole numbers")
    if len(sizes) != len(ids):
        raise _fail(f"'id' has {len(ids)} dimensions but 'size' has {len(sizes)}")
    if not isinstance(dims, dict):
        raise _fail("'dimension' is missing or not an object")
    roles = _roles(doc, ids)
    dimensions = []
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims:
            raise _fail(f"dimension {dim_id!r} is in 'id' but missing from 'dimension'")
        dimensions.append(_dimension(dim_id, dims[dim_id], size, roles.get(dim_id)))
    cells = math.prod(sizes)
    if cells > MAX_CELLS:
        raise _fail(f"The sizes multiply to {cells} cells, more than the {MAX_CELLS} this reader accepts")
    raw_values = doc.get("value")
    if raw_values is None:
        if require_values:
            raise _fail("'value' is missing (a metadata document is not data)")
        values = None
    else:
        values = _values(raw_values, cells, decoded=decoded)
    status_cells, status_symbols = _status(doc.get("status"), cells)
    if values is not None and status_cells:
        values = _blank_missing(values, status_cells, status_symbols)
    label = _text(doc, "label", "dataset")
    notes, mandatory = _notes(doc)
    extension = doc.get("extension") or {}
    if not isinstance(extension, dict):
        raise _fail("'extension' must be an object")
    return Dataset(
        label=label,
        source=_text(doc, "source", "dataset"),
        updated=_parse_updated(doc.get("updated")),
        table_id=_table_id(doc, label),
        dimensions=tuple(dimensions),
        values=values,
        status_cells=status_cells,
        status_symbols=status_symbols,
        notes=notes,
        mandatory_notes=mandatory,
        extension=extension,
    )


@dataclass(frozen=True)
class Summary:
    """What ``import_statistics --dry-run`` prints for one file."""

    table: str | None
    dimensions: dict[str, int]
    cells: int
    status: dict[str, int]

    def as_dict(self, file: str) -> dict[str, Any]:
        return {
            "file": file,
            "table": self.table,
            "dimensions": self.dimensions,
            "cells": self.cells,
            "status": self.status,
        }


def summarise(dataset: Dataset) -> Summary:
    return Summary(
        table=dataset.table_id,
        dimensions={d.id: d.size for d in dataset.dimensions},
        cells=dataset.cells,
        status=dataset.status_counts(),
    )
