"""What every importer hands the import service: one ``Batch`` per source table, a flat list of cells
with the table's provenance.

An SSB answer (JSON-stat or a Statistikkbanken CSV export) becomes a batch through ``from_dataset``;
the files of other publishers (Udir, FHI, IMDi …) are read by ``kommunedialog.statistics.importers``
into the same shape, so stitching, idempotency and provenance work the same for all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kommunedialog.statistics.catalogue import filters_key
from kommunedialog.statistics.jsonstat import Dataset

_YEAR_RE = re.compile(r"^(\d{4})")


class ImportRefused(ValueError):
    """The file or answer cannot be stored as it is; the message says why. Nothing is written."""


@dataclass(frozen=True, slots=True)
class Cell:
    content: str
    filters: str  # "variable=code&…", sorted (catalogue.filters_key)
    region: str  # the code as the source gave it ("0301", "K-3001", "EAK"), or the code a name was matched to
    period: str  # "2024", "2015-16", "2003-2012", "2025M11"
    value: float | None
    status: str = ""  # ".", "..", ":" (then value is None)
    region_label: str = ""  # the name in a file that names municipalities by name only
    year: int | None = None  # the year the figure belongs to; by default the period's first four digits
    code_year: int | None = None  # the year whose municipality structure the code belongs to (default: year)
    inputs: dict[str, object] | None = None  # what an importer computed this cell from (a sum of rows …)

    @property
    def period_year(self) -> int | None:
        if self.year is not None:
            return self.year
        match = _YEAR_RE.match(self.period)
        return int(match.group(1)) if match else None


@dataclass
class Batch:
    table_id: str
    label: str
    source: str  # the publisher
    cells: list[Cell]
    updated: dt.datetime | None = None  # when the publisher last updated the figures, if it says
    kostra: bool = False  # KOSTRA figures: preliminary until 15 June of the next year
    units: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # content -> (unit, decimals)
    contents: dict[str, str] = field(default_factory=dict)  # content -> label
    notes: list[str] = field(default_factory=list)  # notes that must be shown with the figures
    # Contents that may be summed across municipalities (counts, amounts), and rates with the content
    # that is their denominator; both let figures of merged or split municipalities be combined.
    additive: set[str] = field(default_factory=set)
    weight_by: dict[str, str] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)  # what the importer left out or matched, in words
    default_decimals: int | None = None

    def series(self, cell: Cell) -> str:
        return f"{self.table_id}/{cell.content}/{cell.filters}"


def from_dataset(dataset: Dataset, *, table_id: str | None = None) -> Batch:
    """The cells of one JSON-stat answer (or CSV export) in storage order, with its units and notes."""
    from kommunedialog.statistics.jsonstat import JsonStatError

    metric, time = dataset.role("metric"), dataset.role("time")
    table = table_id or dataset.table_id
    if metric is None or time is None or not table:
        problem = (
            "the table number is unknown; pass it explicitly"
            if not table
            else f"a dataset needs a time and a content (metric) variable to be stored; it has {', '.join(dataset.ids)}"
        )
        raise ImportRefused(f"Table {table or '?'}: {problem}")
    geo = dataset.role("geo")
    dims = dataset.dimensions
    positions = {d.id: i for i, d in enumerate(dims)}
    m_at, t_at = positions[metric.id], positions[time.id]
    g_at = positions[geo.id] if geo is not None else None
    others = [(d.id, positions[d.id]) for d in dims if d not in (metric, time, geo)]
    filter_cache: dict[tuple[str, ...], str] = {}
    cells = []
    for codes, value, symbol in dataset.iter_cells():
        other = tuple(codes[i] for _, i in others)
        filters = filter_cache.get(other)
        if filters is None:
            filters = filter_cache[other] = filters_key({name: codes[i] for name, i in others})
        cells.append(
            Cell(
                content=codes[m_at],
                filters=filters,
                region=codes[g_at] if g_at is not None else "",
                period=codes[t_at],
                value=None if value is None else float(value),
                status=symbol or "",
            )
        )
    px = dataset.extension.get("px")
    default_decimals = px.get("decimals") if isinstance(px, dict) and isinstance(px.get("decimals"), int) else None
    units = {
        code: (unit.base, unit.decimals if unit.decimals is not None else default_decimals)
        for code, unit in metric.units.items()
    }
    kostra = any(d.id.startswith("KOK") for d in dims) or any(c.startswith("KOS") for c in metric.codes)
    try:
        contents = dict(zip(metric.codes, metric.labels, strict=True))
    except ValueError as exc:  # pragma: no cover - the parser guarantees parallel tuples
        raise JsonStatError(str(exc)) from None
    return Batch(
        table_id=table,
        label=dataset.label or table,
        source=dataset.source or "Statistisk sentralbyrå",
        cells=cells,
        updated=dataset.updated,
        kostra=kostra,
        units=units,
        contents=contents,
        notes=list(dataset.mandatory_notes),
        default_decimals=default_decimals,
    )
