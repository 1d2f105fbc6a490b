"""SSB's own answers: JSON-stat 2.0 from PxWebApi v1 and v2, and Statistikkbanken's CSV export."""

from __future__ import annotations

from pathlib import Path

from kommunedialog.statistics import jsonstat
from kommunedialog.statistics.cells import Batch, ImportRefused, from_dataset
from kommunedialog.statistics.jsonstat import Dataset, JsonStatError
from kommunedialog.statistics.statbank_csv import parse_csv


def parse_file(path: Path) -> Dataset:
    """The file as a JSON-stat dataset; JsonStatError says what is wrong with it."""
    data = path.read_bytes()
    if path.suffix.lower() == ".csv" or data.lstrip()[:1] == b'"':
        return parse_csv(data)
    return jsonstat.parse(data)


def read(path: Path, *, table: str | None = None) -> list[Batch]:
    try:
        dataset = parse_file(path)
    except (JsonStatError, OSError) as exc:
        raise ImportRefused(f"{path.name}: {exc}") from None
    return [from_dataset(dataset, table_id=table)]
