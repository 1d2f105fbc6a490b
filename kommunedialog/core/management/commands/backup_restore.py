"""Restore a backup made by backup_create: the database's content and MEDIA_ROOT are replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database's content and the uploads with a backup's, after checking its checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by backup_create")
        parser.add_argument(
            "--replace", action="store_true", help="Required: say that the current data is to be replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["replace"]:
            raise CommandError("Restoring replaces all current data and uploads; add --replace to go ahead")
        try:
            manifest = backup_restore(folder=options["folder"])
        except BackupError as failed:
            raise CommandError(str(failed)) from failed
        self.stdout.write(f"Restored the backup of {manifest['created']} ({', '.join(manifest['files'])})")
