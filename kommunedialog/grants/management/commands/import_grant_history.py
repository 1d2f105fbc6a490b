"""Import earlier years' grants from a CSV (format in docs/grants.md, "Grant history"):
``manage.py import_grant_history grants-2019-2025.csv``. All or nothing; rows already imported are skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.grants import history


class Command(BaseCommand):
    help = "Prosjektskjønn: import earlier years' awarded grants from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = history.import_history(path.read_text(encoding="utf-8"))
        except history.HistoryError as error:
            raise CommandError(f"Nothing imported.\n{error}") from error
        self.stdout.write(f"{result['created']} grants imported, {result['skipped']} already there")
