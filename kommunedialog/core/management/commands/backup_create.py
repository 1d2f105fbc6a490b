"""Back up the database and the uploaded files into a new folder (see kommunedialog/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploads (MEDIA_ROOT) into a new folder under --to, with checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="The folder to write the backup under")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup_create(to=options["to"])
        except BackupError as failed:
            raise CommandError(str(failed)) from failed
        for name, facts in made.files.items():
            self.stdout.write(f"{name}: {facts['bytes']} bytes, sha256 {facts['sha256'][:16]}…")
        self.stdout.write(str(made.folder))
