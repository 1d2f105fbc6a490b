"""ingest_statistics: fetch the catalogue's SSB tables (or one table) from the live PxWebApi v2 and store them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kommunedialog.statistics import catalogue, jsonstat, services
from kommunedialog.statistics.progress import ProgressBar
from kommunedialog.statistics.ssb_client import SsbClient, SsbError, TableMetadata


def make_client() -> SsbClient:
    """Separate so tests can hand the command a client on recorded answers."""
    return SsbClient()


def selection_for(table: str, meta: TableMetadata, *, years: int) -> dict[str, list[str]]:
    """What to ask for: every region, the catalogue's contents and fixed values, the last ``years`` periods.

    A table the catalogue does not use is fetched whole for those periods (with the cell limit
    splitting it into several calls where needed).
    """
    wanted = catalogue.tables().get(table, [])
    selection: dict[str, list[str]] = {}
    filters: dict[str, list[str]] = defaultdict(list)
    for indicator in wanted:
        for variable, code in indicator.filters.items():
            if code not in filters[variable]:
                filters[variable].append(code)
    for dimension in meta.dimensions:
        if dimension.role == "time" or dimension.id == "Tid":
            selection[dimension.id] = [f"top({years})"]
        elif dimension.role == "metric" or dimension.id == "ContentsCode":
            selection[dimension.id] = sorted({i.content for i in wanted}) or ["*"]
        elif dimension.id in filters:
            selection[dimension.id] = filters[dimension.id]
        elif dimension.role == "geo" or dimension.elimination is False or not wanted:
            selection[dimension.id] = ["*"]
    return selection


class Command(BaseCommand):
    help = "Fetch the indicator catalogue's tables (or --table ID) from SSB's PxWebApi and store them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--table", help="one SSB table number instead of the whole catalogue")
        parser.add_argument("--years", type=int, default=10, help="how many of the newest periods (default 10)")
        parser.add_argument("--dry-run", action="store_true", help="fetch and summarise, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        tables = [options["table"]] if options["table"] else sorted(catalogue.tables())
        client = make_client()
        progress = ProgressBar(lambda text: self.stderr.write(text, ending=""), interactive=self.stderr.isatty())
        failures: list[str] = []
        try:
            for n, table in enumerate(tables, start=1):
                progress("Tables", n - 1, len(tables))
                try:
                    meta = client.metadata(table)
                    selection = selection_for(table, meta, years=options["years"])
                    datasets = client.data(table, selection)
                except SsbError as exc:
                    failures.append(table)
                    self.stderr.write(f"{table}: {exc}")
                    continue
                if options["dry_run"]:
                    for dataset in datasets:
                        summary = jsonstat.summarise(dataset)
                        self.stdout.write(
                            f"{table}: {summary.cells} cells, "
                            + ", ".join(f"{k}={v}" for k, v in summary.dimensions.items())
                            + f"; status {summary.status or 'none'}"
                        )
                    continue
                result = services.statistics_import(
                    datasets=datasets,
                    table_id=table,
                    origin=f"{client.base_url}/tables/{table}/data",
                    fetched_at=timezone.now(),
                    progress=progress,
                )
                self.stdout.write(result.summary())
            progress("Tables", len(tables), len(tables))
        finally:
            client.close()
        self.stdout.write(f"{client.calls} calls to SSB")
        if failures:
            raise CommandError(f"{len(failures)} of {len(tables)} tables failed: {', '.join(failures)}")
