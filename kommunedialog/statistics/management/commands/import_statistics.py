"""import_statistics PATH…: store downloaded SSB answers (json-stat2 files, Statistikkbanken CSV exports).

With --dry-run nothing is written: each file is read and checked, and a summary is printed (table,
variables with their sizes, number of cells and the count of each status symbol); --json prints that
summary as one JSON object per file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.statistics import jsonstat, services
from kommunedialog.statistics.jsonstat import Dataset, JsonStatError
from kommunedialog.statistics.progress import ProgressBar
from kommunedialog.statistics.statbank_csv import parse_csv

SUFFIXES = (".json", ".csv")


def read_file(path: Path) -> Dataset:
    data = path.read_bytes()
    if path.suffix.lower() == ".csv" or data.lstrip()[:1] == b'"':
        return parse_csv(data)
    return jsonstat.parse(data)


def expand(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder")
    return found


def summary_line(name: str, dataset: Dataset) -> str:
    summary = jsonstat.summarise(dataset)
    dims = ", ".join(f"{k}={v}" for k, v in summary.dimensions.items())
    status = ", ".join(f"'{k}' {v}" for k, v in summary.status.items()) or "none"
    return f"{name}: table {summary.table or '?'}; {dims}; {summary.cells} cells; status symbols: {status}"


class Command(BaseCommand):
    help = "Import SSB json-stat2 files and Statistikkbanken CSV exports (idempotent, all-or-nothing per table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files, or folders whose .json and .csv files are read")
        parser.add_argument("--dry-run", action="store_true", help="check and summarise, write nothing")
        parser.add_argument("--json", action="store_true", help="with --dry-run: one JSON object per file")
        parser.add_argument("--table", help="the table number, for files that do not say it")
        parser.add_argument(
            "--fetched-at", type=dt.date.fromisoformat, help="when the files were downloaded (default: now)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = expand(options["paths"])
        failures = 0
        parsed: dict[str, list[tuple[Path, Dataset]]] = defaultdict(list)
        for path in files:
            try:
                dataset = read_file(path)
            except (JsonStatError, OSError) as exc:
                failures += 1
                if options["json"]:
                    self.stdout.write(json.dumps({"file": path.name, "error": str(exc)}, ensure_ascii=False))
                else:
                    self.stderr.write(f"{path.name}: {exc}")
                continue
            if options["dry_run"]:
                if options["json"]:
                    summary = jsonstat.summarise(dataset).as_dict(path.name)
                    if options["table"]:
                        summary["table"] = options["table"]
                    self.stdout.write(json.dumps(summary, ensure_ascii=False))
                else:
                    self.stdout.write(summary_line(path.name, dataset))
                continue
            parsed[options["table"] or dataset.table_id or ""].append((path, dataset))
        if not options["dry_run"]:
            failures += self._store(parsed, options)
        if failures:
            raise CommandError(f"{failures} of {len(files)} files could not be read or stored")

    def _store(self, parsed: dict[str, list[tuple[Path, Dataset]]], options: dict[str, Any]) -> int:
        fetched_at = None
        if options["fetched_at"]:
            fetched_at = dt.datetime.combine(options["fetched_at"], dt.time(12), tzinfo=dt.UTC)
        progress = ProgressBar(lambda text: self.stderr.write(text, ending=""), interactive=self.stderr.isatty())
        failures = 0
        for table, items in sorted(parsed.items()):
            names = ", ".join(p.name for p, _ in items)
            try:
                result = services.statistics_import(
                    datasets=[d for _, d in items],
                    table_id=table or None,
                    origin="file:" + names,
                    fetched_at=fetched_at,
                    progress=progress,
                )
            except services.ImportRefused as exc:
                failures += len(items)
                self.stderr.write(f"{names}: {exc}")
                continue
            self.stdout.write(result.summary())
        return failures
