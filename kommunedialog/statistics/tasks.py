"""Background work of the statistics: the scheduled ingest of the catalogue's SSB tables."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.tasks import task


@task()
def ingest_statistics_task() -> str:
    """Fetch and store the catalogue's tables from SSB (``manage.py ingest_statistics``); each table is
    stored whole or not at all, so running it again only brings what is new."""
    out = io.StringIO()
    call_command("ingest_statistics", stdout=out, stderr=out)
    return out.getvalue()[-2000:]
