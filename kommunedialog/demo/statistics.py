"""Statistics for the offline demo: the real SSB answers in ../shared/data, imported as they are.

Each file is imported with the date it was downloaded where its provenance records one, so the
figures' fetch dates on the demo pages are true.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management import call_command

# (path under SHARED_DATA_DIR, table when the file does not say it, downloaded on)
DEMO_FILES: list[tuple[str, str | None, dt.date | None]] = [
    ("ssb/v1-07459-jsonstat2-KommSummer-2022.json", None, dt.date(2022, 9, 14)),
    ("population/ssb-07459-statbank-export-Personer2023-latin1.csv", "07459", None),
    ("ssb/v2-12134-jsonstat2-0301-4601-5001-2024.json", None, dt.date(2026, 4, 25)),
]


def load_demo_statistics(*, shared_data: Path, stdout: Any) -> int:
    """Import the demo files that are present (idempotent); returns how many were read."""
    imported = 0
    for relative, table, fetched_on in DEMO_FILES:
        path = shared_data / relative
        if not path.exists():
            stdout.write(f"Statistics demo: {relative} not found, skipped")
            continue
        options: dict[str, Any] = {"table": table, "fetched_at": fetched_on}
        call_command("import_statistics", str(path), stdout=stdout, **{k: v for k, v in options.items() if v})
        imported += 1
    return imported
