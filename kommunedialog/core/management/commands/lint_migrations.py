"""lint_migrations: refuse a migration that would break the running version during an upgrade.

During an upgrade the new schema is migrated while the old code still serves (docs/deployment.md), so a
migration must not drop or rename what the old code reads, nor add a column it does not fill (NOT NULL
without a database default). django-migration-linter reads each migration's SQL and says so. Checked:
the project's own apps, every migration after ``HISTORY`` (those were released before the linter came and
are applied everywhere). A migration that breaks compatibility on purpose says so, with the plan:

    class Migration(migrations.Migration):
        deliberately_incompatible = "Drops X, unused since 1.4; upgrade from 1.4 or later only."
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

# Released before the linter: the last migration of each app then. Later ones are checked.
HISTORY = {
    "accounts": "0002",
    "core": "0003",
    "grants": "0003",
    "oversight": "0001",
    "profiles": "0006",
    "registry": "0003",
    "statistics": "0001",
}


class Command(BaseCommand):
    help = "Refuse backward-incompatible migrations of the project's apps, unless marked deliberately_incompatible."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from django_migration_linter import MigrationLinter
        except ImportError as error:
            raise CommandError("django-migration-linter is a development dependency: make install-dev") from error
        logging.getLogger("django_migration_linter").setLevel(logging.WARNING)  # a line per migration
        own = [config.label for config in apps.get_app_configs() if config.name.startswith("kommunedialog.")]
        ignored = []
        for (label, name), migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items():
            if label not in own:
                continue
            if name[:4] <= HISTORY.get(label, ""):
                ignored.append(name)
            elif reason := getattr(migration, "deliberately_incompatible", ""):
                self.stdout.write(f"{label}.{name}: deliberately incompatible: {reason}")
                ignored.append(name)
        linter = MigrationLinter(
            include_apps=own,
            ignore_name=ignored,
            no_cache=True,
            quiet=["ignore"],
            all_warnings_as_errors=False,
        )
        linter.lint_all_migrations()
        linter.print_summary()
        if linter.has_errors:
            raise CommandError(
                "A migration would break the running version during an upgrade. Make it compatible (a default, "
                "a nullable column, two releases for a drop), or mark it deliberately_incompatible with the plan."
            )
