"""import_statistics on files that are not what they should be: each gets its own message, a non-zero
exit and nothing stored."""

from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from kommunedialog.core.models import AuditEvent
from kommunedialog.statistics.models import Observation
from tests.statistics.conftest import V2_12134, read

pytestmark = pytest.mark.django_db


def refused(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    before = (Observation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as caught:
        call_command("import_statistics", *args, stdout=out, stderr=err)
    assert (Observation.objects.count(), AuditEvent.objects.count()) == before
    return err.getvalue(), str(caught.value)


def test_an_empty_folder_is_an_error(tmp_path: Path):
    err, message = refused(str(tmp_path))
    assert (err, message) == ("", f"{tmp_path}: the folder is empty; nothing to import")


def test_a_folder_without_a_supported_file_is_an_error(tmp_path: Path):
    (tmp_path / "readme.txt").write_text("figures follow", encoding="utf-8")
    (tmp_path / "table.ods").write_bytes(b"PK\x03\x04")
    _, message = refused(str(tmp_path))
    assert message == f"{tmp_path}: no file to import (looked for .json, .csv, .xlsx; found readme.txt, table.ods)"


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_binary_file_is_said_to_be_binary(tmp_path: Path, suffix: str):
    path = tmp_path / f"answer{suffix}"
    path.write_bytes(bytes(range(256)) * 8)
    err, message = refused(str(path))
    assert (
        err
        == f"answer{suffix}: binary content, not text; expected a {suffix} file as SSB or the publisher delivers it\n"
    )
    assert message == "1 of 1 files could not be read or stored"


@pytest.mark.parametrize("bom", [True, False], ids=["with-bom", "without-bom"])
def test_a_utf16_file_is_said_to_be_utf16(tmp_path: Path, bom: bool):
    path = tmp_path / "answer.json"
    text = read(V2_12134).decode("utf-8")
    path.write_bytes((codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le"))
    err, _ = refused(str(path))
    assert err == (
        "answer.json: the text is UTF-16 (as Excel's 'Unicode text' writes it); "
        "save it as UTF-8 (in Excel: 'CSV UTF-8') and import it again\n"
    )


def test_an_empty_file_and_a_false_workbook_are_said_to_be_so(tmp_path: Path):
    (tmp_path / "answer.json").write_bytes(b"")
    (tmp_path / "kommunepanel.xlsx").write_text("name;value\n", encoding="utf-8")
    err, message = refused(str(tmp_path))
    assert err.splitlines() == [
        "answer.json: the file is empty (0 bytes); download it again",
        "kommunepanel.xlsx: not an Excel workbook (.xlsx files are ZIP archives; this one is not)",
    ]
    assert message == "2 of 2 files could not be read or stored"


def test_the_dry_run_refuses_the_same_files(tmp_path: Path):
    (tmp_path / "answer.csv").write_bytes("år;verdi\n".encode("utf-16"))
    err, _ = refused(str(tmp_path), "--dry-run")
    assert err.startswith("answer.csv: the text is UTF-16")


def test_the_command_exits_non_zero_on_an_empty_folder(tmp_path: Path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    result = subprocess.run(  # noqa: S603 - our own manage.py with a path we made
        [sys.executable, "manage.py", "import_statistics", str(folder)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"CommandError: {folder}: the folder is empty; nothing to import"
