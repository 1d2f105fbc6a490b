"""Statistics for the offline demo: every file in ../shared/data that an importer reads, imported as it is.

Files are imported with the date they were downloaded where their provenance records one, so the
figures' fetch dates on the demo pages are true; the computed indicators and the group, county and
country figures are worked out once at the end instead of after every file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from kommunedialog.statistics import importers, services
from kommunedialog.statistics.cells import Batch, ImportRefused

# Download dates the data README records (other files are dated by the import).
DOWNLOADED: dict[str, dt.date] = {
    "ssb/v1-07459-jsonstat2-KommSummer-2022.json": dt.date(2022, 9, 14),
    "ssb/v2-12134-jsonstat2-0301-4601-5001-2024.json": dt.date(2026, 4, 25),
}


def demo_files(shared_data: Path) -> list[Path]:
    """Every file under ``shared_data`` an importer reads, in a stable order."""
    found: set[Path] = set()
    for importer in importers.importers():
        found.update(p for p in shared_data.glob(importer.pattern) if p.is_file())
    return sorted(found, key=lambda p: p.relative_to(shared_data).as_posix())


def load_demo_statistics(*, shared_data: Path, stdout: Any) -> int:
    """Import every demo file that is present (idempotent); returns how many were read."""
    by_table: dict[tuple[str, dt.date | None], list[tuple[Path, Batch]]] = defaultdict(list)
    files = demo_files(shared_data)
    if not files:
        stdout.write(f"Statistics demo: no files in {shared_data}, skipped")
        return 0
    for path in files:
        try:
            downloaded = DOWNLOADED.get(path.relative_to(shared_data).as_posix())
            for batch in importers.read(path, root=shared_data):
                by_table[(batch.table_id, downloaded)].append((path, batch))
        except ImportRefused as exc:
            stdout.write(f"Statistics demo: {exc}")
    for (_table, downloaded), items in sorted(by_table.items(), key=lambda kv: (kv[0][0], kv[0][1] or dt.date.max)):
        fetched_at = dt.datetime.combine(downloaded, dt.time(12), tzinfo=dt.UTC) if downloaded else None
        result = services.statistics_import(
            batches=[b for _, b in items],
            origin="file:" + ", ".join(p.name for p, _ in items),
            fetched_at=fetched_at,
            refresh=False,
        )
        stdout.write(result.summary().split("\n")[0].split("; feeds")[0])
    counts = services.statistics_refresh_aggregates()
    stdout.write(f"Statistics demo: {len(files)} files; group, county and country figures {counts}")
    return len(files)
