"""Write a call's cases as an archive export (ZIP with arkivstruktur.xml and the documents), for the
office's public archive to journal: ``manage.py export_grant_archive <call id> <file.zip>``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommunedialog.grants import archive
from kommunedialog.grants.models import Call


class Command(BaseCommand):
    help = "Prosjektskjønn: export a call's cases (applications, decision letters, reports) for the archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("call_id", type=int)
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, call_id: int, path: Path, **options: Any) -> None:
        call = Call.objects.select_related("office").filter(pk=call_id).first()
        if call is None:
            raise CommandError(f"No call {call_id}")
        data = archive.export(call)
        path.write_bytes(data)
        self.stdout.write(f"{path}: {len(data)} bytes")
