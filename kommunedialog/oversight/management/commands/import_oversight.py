"""Import one CSV or XLSX file of oversight records for one office (all rows or none; idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.core.actors import SYSTEM
from kommunedialog.oversight.importers import ImportKind
from kommunedialog.oversight.services import oversight_import
from kommunedialog.oversight.tabular import ImportRejected, read_table
from kommunedialog.registry.models import Office


class Command(BaseCommand):
    help = "Import supervisions, complaint statistics, plans or cooperation from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", required=True, help="office code, e.g. rogaland")

    def handle(self, *args: Any, kind: str, file: Path, office: str, **options: Any) -> None:
        the_office = Office.objects.filter(code=office).first()
        if the_office is None:
            raise CommandError(f"No office with code {office!r}")
        if file.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("The file must be .csv or .xlsx")
        try:
            with file.open("rb") as handle:
                table = read_table(handle, kind="xlsx" if file.suffix.lower() == ".xlsx" else "csv")
            result = oversight_import(actor=SYSTEM, office=the_office, kind=kind, table=table)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s) in {file}") from exc
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {result.summary()}"))
