"""Background work of the statistics app, through Django's task framework (plain values in).

``ingest_statistics`` is meant to run on a schedule (e.g. daily at 09:00 Europe/Oslo, after SSB's 08:00
publications; KOSTRA's unrevised figures come on 15 March and the revised ones on 15 June). It is
idempotent: a run that finds nothing new writes nothing but its own record.
"""

from __future__ import annotations

from django.tasks import task

from kommunedialog.statistics import ingest
from kommunedialog.statistics.ssb_client import SsbClient


@task()
def ingest_statistics(table: str | None = None, years: int = ingest.DEFAULT_YEARS) -> int:
    """Fetch the catalogue's SSB tables (or one) and store them; returns the recorded run's id."""
    client = SsbClient()
    try:
        run = ingest.statistics_ingest(
            client=client, tables=[table] if table else None, years=years, trigger="task:ingest_statistics"
        )
    finally:
        client.close()
    return run.pk
