"""`manage.py lint_migrations` (run by `make checks`) refuses a migration that breaks the running version
during an upgrade, unless it is marked as deliberate."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.loader import MigrationLoader

from kommunedialog.core import migrations as core_migrations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DROP_COLUMN = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "{previous}")]
{mark}
    operations = [migrations.RemoveField(model_name="taskworker", name="hostname")]
"""


@pytest.fixture
def core_with_a_new_migration(tmp_path: Path, settings, monkeypatch):  # type: ignore[no-untyped-def]
    """core's migrations, copied, and a next one that drops a column the running version reads."""
    package = tmp_path / "core_migrations_under_test"
    shutil.copytree(Path(core_migrations.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"core": package.name}
    previous = max(name for app, name in MigrationLoader(None).disk_migrations if app == "core")

    def write(mark: str = "") -> None:
        (package / "0099_drop_hostname.py").write_text(DROP_COLUMN.format(previous=previous, mark=mark))
        sys.modules.pop(f"{package.name}.0099_drop_hostname", None)

    yield write
    for name in [m for m in sys.modules if m.startswith(package.name)]:
        del sys.modules[name]


def test_the_released_migrations_pass(capsys):
    call_command("lint_migrations")
    assert "Erroneous migrations: 0/" in capsys.readouterr().out


def test_a_dropped_column_is_refused(core_with_a_new_migration, capsys):
    core_with_a_new_migration()
    with pytest.raises(CommandError, match="would break the running version during an upgrade"):
        call_command("lint_migrations")
    out = capsys.readouterr().out
    assert "(core, 0099_drop_hostname)... ERR" in out
    assert "DROPPING columns (table: core_taskworker, column: hostname)" in out


def test_a_drop_marked_as_deliberate_passes_and_is_named(core_with_a_new_migration, capsys):
    core_with_a_new_migration('    deliberately_incompatible = "Upgrade from 2.0 or later only."\n')
    call_command("lint_migrations")
    out = capsys.readouterr().out
    assert "core.0099_drop_hostname: deliberately incompatible: Upgrade from 2.0 or later only." in out
    assert "Erroneous migrations: 0/" in out
