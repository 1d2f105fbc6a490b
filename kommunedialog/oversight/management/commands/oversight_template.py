"""Write the import template for one kind of oversight record (CSV or XLSX, by the file's suffix)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.oversight.importers import ImportKind, template_rows
from kommunedialog.oversight.tabular import csv_bytes, xlsx_bytes


class Command(BaseCommand):
    help = "Write an import template (header row; the XLSX also has a guide sheet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("output", type=Path)

    def handle(self, *args: Any, kind: str, output: Path, **options: Any) -> None:
        headers, guide = template_rows(kind)
        if output.suffix.lower() == ".csv":
            content = csv_bytes(headers, [])
        elif output.suffix.lower() == ".xlsx":
            guide_sheet = ("Guide", ["column", "required", "what to write", "example"], guide)
            content = xlsx_bytes([(kind, headers, []), guide_sheet])
        else:
            raise CommandError("The output file must end in .csv or .xlsx")
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
