"""import_statistics PATH…: store downloaded figures — SSB's JSON-stat answers and Statistikkbanken CSV
exports, and the files of other publishers the importers know (Udir, FHI, IMDi, NAV, KDD …).

With --dry-run nothing is written: each file is read and checked, and a summary is printed (table,
variables with their sizes, number of cells and the count of each status symbol); --json prints that
summary as one JSON object per file. Each table is stored all or nothing; a file that cannot be read
is reported and the others are still stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.statistics import importers, jsonstat, services
from kommunedialog.statistics.cells import Batch, ImportRefused
from kommunedialog.statistics.importers import sniff
from kommunedialog.statistics.importers.ssb import parse_file
from kommunedialog.statistics.jsonstat import Dataset, JsonStatError
from kommunedialog.statistics.progress import ProgressBar

SUFFIXES = (".json", ".csv", ".xlsx")


def read_file(path: Path) -> Dataset:
    """The file as a JSON-stat dataset (kept for callers that read SSB answers directly)."""
    return parse_file(path)


def expand(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            present = sorted(p for p in path.iterdir() if p.is_file())
            if not present:
                raise CommandError(f"{raw}: the folder is empty; nothing to import")
            supported = [p for p in present if p.suffix.lower() in SUFFIXES]
            if not supported:
                others = ", ".join(p.name for p in present[:5]) + (" …" if len(present) > 5 else "")
                raise CommandError(f"{raw}: no file to import (looked for {', '.join(SUFFIXES)}; found {others})")
            found.extend(supported)
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


def batch_line(name: str, batch: Batch) -> str:
    regions = len({c.region for c in batch.cells})
    periods = sorted({c.period for c in batch.cells})
    span = f"{periods[0]}–{periods[-1]}" if periods else "no periods"
    return f"{name}: {batch.table_id}; {len(batch.cells)} cells, {regions} regions, {span}"


class Command(BaseCommand):
    help = "Import SSB answers and other publishers' files with figures per municipality (idempotent, all-or-nothing per table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files, or folders whose .json, .csv and .xlsx files are read")
        parser.add_argument("--dry-run", action="store_true", help="check and summarise, write nothing")
        parser.add_argument("--json", action="store_true", help="with --dry-run: one JSON object per file")
        parser.add_argument("--table", help="the SSB table number, for SSB files that do not say it")
        parser.add_argument(
            "--fetched-at", type=dt.date.fromisoformat, help="when the files were downloaded (default: now)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = expand(options["paths"])
        failures = 0
        parsed: dict[str, list[tuple[Path, Batch]]] = defaultdict(list)
        root = Path(settings.SHARED_DATA_DIR)
        for path in files:
            importer = importers.importer_for(path, root=root)
            is_ssb = importer is None or importer.dataset == "ssb"
            try:
                sniff.check(path)
                if options["dry_run"] and is_ssb:
                    self._summarise(path, read_file(path), options)
                    continue
                batches = importers.read(path, root=root, table=options["table"])
            except (JsonStatError, OSError, ImportRefused) as exc:
                failures += 1
                message = str(exc) if str(exc).startswith(path.name) else f"{path.name}: {exc}"
                if options["json"]:
                    self.stdout.write(json.dumps({"file": path.name, "error": message}, ensure_ascii=False))
                else:
                    self.stderr.write(message)
                continue
            for batch in batches:
                if options["dry_run"]:
                    self.stdout.write(batch_line(path.name, batch))
                else:
                    parsed[batch.table_id].append((path, batch))
        if not options["dry_run"]:
            failures += self._store(parsed, options)
        if failures:
            raise CommandError(f"{failures} of {len(files)} files could not be read or stored")

    def _summarise(self, path: Path, dataset: Dataset, options: dict[str, Any]) -> None:
        if options["json"]:
            summary = jsonstat.summarise(dataset).as_dict(path.name)
            if options["table"]:
                summary["table"] = options["table"]
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(summary_line(path.name, dataset))

    def _store(self, parsed: dict[str, list[tuple[Path, Batch]]], options: dict[str, Any]) -> int:
        fetched_at = None
        if options["fetched_at"]:
            fetched_at = dt.datetime.combine(options["fetched_at"], dt.time(12), tzinfo=dt.UTC)
        progress = ProgressBar(lambda text: self.stderr.write(text, ending=""), interactive=self.stderr.isatty())
        failures = 0
        for _table, items in sorted(parsed.items()):
            names = ", ".join(p.name for p, _ in items)
            try:
                result = services.statistics_import(
                    batches=[b for _, b in items],
                    origin="file:" + names,
                    fetched_at=fetched_at,
                    progress=progress,
                )
            except ImportRefused as exc:
                failures += len(items)
                self.stderr.write(f"{names}: {exc}")
                continue
            self.stdout.write(result.summary())
        return failures
