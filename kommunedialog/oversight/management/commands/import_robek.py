"""Import one publication of the ROBEK register (default: the newest file in SHARED_DATA_DIR/robek)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.core.actors import SYSTEM
from kommunedialog.oversight.robek import default_register_file, read_register, robek_import
from kommunedialog.oversight.tabular import ImportRejected


class Command(BaseCommand):
    help = "Import the ROBEK register file (idempotent; one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a robek-<date>.json file (default: newest in SHARED_DATA_DIR)")

    def handle(self, *args: Any, file: Path | None, **options: Any) -> None:
        try:
            path = file or default_register_file()
            result = robek_import(actor=SYSTEM, register=read_register(path))
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s)") from exc
        self.stdout.write(self.style.SUCCESS(f"ROBEK {path.name}: {result.summary()}"))
