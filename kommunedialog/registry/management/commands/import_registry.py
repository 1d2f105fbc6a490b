from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kommunedialog.registry.klass_client import KlassClient, KlassError
from kommunedialog.registry.services import registry_import
from kommunedialog.registry.sources import RegistrySource, RegistrySourceError, read_live, read_source_dir


class Command(BaseCommand):
    help = "Import offices, counties, municipalities and the code history (idempotent; one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--source", type=Path, help="a folder laid out as ../shared/data (default: SHARED_DATA_DIR)")
        group.add_argument("--live", action="store_true", help="read codes and history from the live KLASS API")

    def handle(self, *args: Any, source: Path | None, live: bool, **options: Any) -> None:
        self.load(source=source, live=live)

    def load(self, *, source: Path | None = None, live: bool = False) -> int:
        try:
            data = self._read(source, live)
        except (RegistrySourceError, KlassError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Reading {data.label}: {len(data.codes)} current codes, {len(data.changes)} code changes")
        for note in data.notes:
            self.stdout.write(f"  note: {note}")
        result = registry_import(source=data, progress=self._progress)
        self.stdout.write(result.summary())
        if result.writes:
            self.stdout.write(self.style.SUCCESS(f"Register updated: {result.writes} rows written."))
        else:
            self.stdout.write(self.style.SUCCESS("Register already up to date: nothing written."))
        return result.writes

    def _read(self, source: Path | None, live: bool) -> RegistrySource:
        if live:
            client = KlassClient()
            try:
                return read_live(client, on=timezone.localdate())
            finally:
                client.close()
        return read_source_dir(source or settings.SHARED_DATA_DIR)

    def _progress(self, step: str, done: int, total: int) -> None:
        self.stdout.write(f"  {step}: {done}/{total}")
