"""ingest_statistics: fetch the catalogue's SSB tables (or one table) from PxWebApi and store them, as the
scheduled task does (kommunedialog.statistics.tasks.ingest_statistics), recording the run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.statistics import catalogue, ingest, jsonstat
from kommunedialog.statistics.progress import ProgressBar
from kommunedialog.statistics.ssb_client import SsbClient, SsbError

# Kept for callers that imported it from here.
selection_for = ingest.selection_for


def make_client() -> SsbClient:
    """Separate so tests can hand the command a client on recorded answers."""
    return SsbClient()


class Command(BaseCommand):
    help = "Fetch the indicator catalogue's tables (or --table ID) from SSB's PxWebApi and store them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--table", help="one SSB table number instead of the whole catalogue")
        parser.add_argument("--years", type=int, default=ingest.DEFAULT_YEARS, help="how many of the newest periods")
        parser.add_argument("--dry-run", action="store_true", help="fetch and summarise, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        tables = [options["table"]] if options["table"] else sorted(catalogue.tables())
        client = make_client()
        progress = ProgressBar(lambda text: self.stderr.write(text, ending=""), interactive=self.stderr.isatty())
        try:
            if options["dry_run"]:
                self._dry_run(client, tables, options["years"])
                return
            run = ingest.statistics_ingest(
                client=client, tables=tables, years=options["years"], trigger="ingest_statistics", progress=progress
            )
        finally:
            client.close()
        for line in ingest.describe(run)[:-1]:
            (self.stderr if line.split(": ", 1)[1].startswith("failed") else self.stdout).write(line)
        self.stdout.write(f"{run.calls} calls to SSB")
        if run.failures:
            raise CommandError(f"{len(run.failures)} of {len(tables)} tables failed: {', '.join(sorted(run.failures))}")

    def _dry_run(self, client: SsbClient, tables: list[str], years: int) -> None:
        failures = []
        for table in tables:
            try:
                meta = client.metadata(table)
                datasets = client.data(table, ingest.selection_for(table, meta, years=years))
            except SsbError as exc:
                failures.append(table)
                self.stderr.write(f"{table}: failed — {exc}")
                continue
            for dataset in datasets:
                summary = jsonstat.summarise(dataset)
                self.stdout.write(
                    f"{table}: {summary.cells} cells, "
                    + ", ".join(f"{k}={v}" for k, v in summary.dimensions.items())
                    + f"; status {summary.status or 'none'}"
                )
        self.stdout.write(f"{client.calls} calls to SSB")
        if failures:
            raise CommandError(f"{len(failures)} of {len(tables)} tables failed: {', '.join(failures)}")
