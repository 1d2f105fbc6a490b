"""Backups that hold everything a restore needs: the database and the uploaded files, with a manifest of
checksums so a damaged or incomplete backup is refused before anything is overwritten.

A backup is a folder: ``database.dump`` (``pg_dump --format=custom``; on the SQLite demo a copy made with
SQLite's own backup API, ``database.sqlite3``), ``uploads.tar`` (everything under MEDIA_ROOT: attachments
and the PDF cache) and ``manifest.json``. Restoring replaces the database's content and MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why. Nothing was overwritten."""


@dataclass(frozen=True)
class Made:
    folder: Path
    files: dict[str, dict[str, Any]]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
        }
    )
    return {k: v for k, v in env.items() if v != ""}


def _run(command: list[str], db: dict[str, Any]) -> None:
    done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup_create(*, to: Path, now: dt.datetime | None = None) -> Made:
    """Write a new backup folder under ``to`` and return it."""
    db = _database()
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(to) / f"kommunedialog-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    engine = db["ENGINE"]
    try:
        if "postgresql" in engine:
            database = folder / "database.dump"
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={database}", str(db["NAME"])], db)
        elif "sqlite3" in engine:
            database = folder / "database.sqlite3"
            connections["default"].close()
            with sqlite3.connect(str(db["NAME"])) as source, sqlite3.connect(str(database)) as target:
                source.backup(target)
        else:
            raise BackupError(f"No backup for the database engine {engine}")
        uploads = folder / "uploads.tar"
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(uploads, "w") as tar:
            if media.exists():
                tar.add(media, arcname=".")
        files = {p.name: {"sha256": _sha256(p), "bytes": p.stat().st_size} for p in (database, uploads)}
        manifest = {"format": FORMAT, "created": stamp, "engine": engine.rsplit(".", 1)[-1], "files": files}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Made(folder, files)


def _verified(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as bad:
        raise BackupError(f"{path} is not readable JSON: {bad}") from bad
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is of backup format {manifest.get('format')!r}, not {FORMAT}")
    for name, expected in manifest["files"].items():
        member = Path(folder) / name
        if not member.is_file():
            raise BackupError(f"The backup lacks {name}")
        if _sha256(member) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def backup_restore(*, folder: Path) -> dict[str, Any]:
    """Replace the database's content and MEDIA_ROOT with the backup's, after checking every checksum."""
    manifest = _verified(folder)
    db = _database()
    engine = db["ENGINE"]
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=media.parent if media.parent.exists() else None) as scratch:
        unpacked = Path(scratch) / "uploads"
        unpacked.mkdir()
        with tarfile.open(Path(folder) / "uploads.tar") as tar:
            tar.extractall(unpacked, filter="data")
        connections["default"].close()
        if "postgresql" in engine and "database.dump" in manifest["files"]:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={db['NAME']}",
                    str(Path(folder) / "database.dump"),
                ],
                db,
            )
        elif "sqlite3" in engine and "database.sqlite3" in manifest["files"]:
            with (
                sqlite3.connect(str(Path(folder) / "database.sqlite3")) as source,
                sqlite3.connect(str(db["NAME"])) as target,
            ):
                source.backup(target)
        else:
            raise BackupError(f"The backup was made from {manifest['engine']}; this database is {engine}")
        if media.exists():
            shutil.rmtree(media)
        shutil.move(str(unpacked), str(media))
    return manifest
