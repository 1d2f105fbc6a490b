"""The restore drill: a backup holds the database and the uploads; restored into an empty database and
an empty upload folder, every attachment opens with the bytes it had. A damaged backup is refused with
nothing overwritten."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from kommunedialog.core.backup import BackupError, backup_create, backup_restore
from kommunedialog.core.models import StoredFile
from kommunedialog.core.uploads import stored_file_create
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
PDF = b"%PDF-1.7\n%restore drill\n%%EOF\n"


def _attachment() -> StoredFile:
    user = UserFactory(role="municipality_user", municipality="1133")
    return stored_file_create(actor=user, upload=SimpleUploadedFile("høringssvar.pdf", PDF), allowed=["pdf"])


def _dsn(name: str) -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgresql://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


@pytest.mark.postgres
def test_the_restore_drill_brings_back_every_attachment(transactional_db, tmp_path):
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("the drill restores a PostgreSQL dump")
    stored = _attachment()
    made = backup_create(to=tmp_path / "backups")
    assert sorted(made.files) == ["database.dump", "uploads.tar"]

    drill = f"{settings.DATABASES['default']['NAME']}_drill"
    with psycopg.connect(_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{drill}"')
        admin.execute(f'CREATE DATABASE "{drill}"')
    restored_media = tmp_path / "restored-uploads"
    try:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "backup_restore", str(made.folder), "--replace"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": _dsn(drill), "MEDIA_ROOT": str(restored_media)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        with psycopg.connect(_dsn(drill)) as restored:
            rows = restored.execute(
                "SELECT file, original_name, sha256 FROM core_storedfile WHERE id = %s", [stored.pk]
            ).fetchall()
    finally:
        with psycopg.connect(_dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{drill}" WITH (FORCE)')
    [(name, original, sha256)] = rows
    assert (original, sha256) == ("høringssvar.pdf", hashlib.sha256(PDF).hexdigest())
    assert (restored_media / name).read_bytes() == PDF


def test_a_damaged_backup_is_refused_and_nothing_is_overwritten(db, tmp_path, settings):
    stored = _attachment()
    made = backup_create(to=tmp_path / "backups")
    with (made.folder / "uploads.tar").open("r+b") as tar:
        tar.seek(600)
        tar.write(b"damaged")
    with pytest.raises(BackupError, match=r"^uploads\.tar does not match its checksum: the backup is damaged$"):
        backup_restore(folder=made.folder)
    assert Path(settings.MEDIA_ROOT, stored.file.name).read_bytes() == PDF
    assert StoredFile.objects.filter(pk=stored.pk).exists()


def test_restoring_asks_to_be_told_that_data_is_replaced(db, tmp_path):
    made = backup_create(to=tmp_path / "backups")
    with pytest.raises(CommandError, match="add --replace to go ahead"):
        call_command("backup_restore", str(made.folder))


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(BackupError, match=r"has no manifest\.json"):
        backup_restore(folder=tmp_path)
