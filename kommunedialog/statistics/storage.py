"""Writing many observations at once: PostgreSQL's COPY where the database is PostgreSQL (the ORM's
bulk_create spends most of an import building model objects and parameter arrays), the ORM otherwise
(SQLite, the embedded demo default)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from django.db import connection

from kommunedialog.statistics.models import Observation

BATCH = 2000
COLUMNS = (
    "table_id",
    "series",
    "content_code",
    "filters",
    "region",
    "region_label",
    "region_kind",
    "municipality",
    "stitch",
    "stitch_targets",
    "period",
    "year",
    "value",
    "status",
    "unit",
    "decimals",
    "updated",
    "fetched_at",
    "revision",
    "inputs",
    "weight",
)


def insert(rows: Sequence[dict[str, Any]]) -> int:
    """Insert observation rows given as field dicts (with ``table_id``); returns how many."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        Observation.objects.bulk_create([Observation(**row) for row in rows], batch_size=BATCH)
        return len(rows)
    sql = f"COPY {Observation._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            # COPY's text format casts the JSON text to jsonb; orjson writes it far faster than json.
            copy.write_row(tuple(orjson.dumps(row[c]).decode() if c == "inputs" else row[c] for c in COLUMNS))
    return len(rows)


# New figures past this many change the table's shape enough for the planner to need fresh numbers.
ANALYZE_AFTER = 1000


def analyze() -> None:
    """Fresh planner statistics for the figures. Without them SQLite reads a page's figures through
    the wrong index (every municipality's figure of each series: 89 ms instead of 4 ms for the demo's
    Hjelmeland page), and PostgreSQL waits for autovacuum to notice a large import."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Observation._meta.db_table}")
