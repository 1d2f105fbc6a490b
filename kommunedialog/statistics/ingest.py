"""The scheduled ingest: every SSB table the catalogue reads, fetched from PxWebApi within SSB's limits
and stored through the import service, each run recorded (``IngestRun``) with what it brought: new
periods, figures revised, figures that went from preliminary to final, and the tables that failed.

The client keeps to SSB's rules (30 calls per 60 s, 800 000 cells per call, POST for long selections,
v1 for a table v2 does not serve); a failure of one table is recorded and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from kommunedialog.core.actors import SYSTEM, Actor
from kommunedialog.statistics import catalogue, services
from kommunedialog.statistics.cells import ImportRefused
from kommunedialog.statistics.models import IngestRun
from kommunedialog.statistics.ssb_client import SsbClient, SsbError, TableMetadata

Progress = Callable[[str, int, int], None]
DEFAULT_YEARS = 10


def selection_for(table: str, meta: TableMetadata, *, years: int) -> dict[str, list[str]]:
    """What to ask for: every region, the catalogue's contents and fixed values, the last ``years`` periods.

    Variables the catalogue does not fix are left out where SSB may eliminate them (it then sums them or
    gives their total, e.g. age and sex in 14746) and asked for whole where it may not. A table the
    catalogue does not use is fetched whole for those periods (the cell limit splits it where needed).
    """
    sources = catalogue.ssb_sources(table)
    filters: dict[str, list[str]] = {}
    for source in sources:
        for variable, code in source.filters.items():
            if code not in filters.setdefault(variable, []):
                filters[variable].append(code)
    selection: dict[str, list[str]] = {}
    for dimension in meta.dimensions:
        if dimension.role == "time" or dimension.id == "Tid":
            selection[dimension.id] = [f"top({years})"]
        elif dimension.role == "metric" or dimension.id == "ContentsCode":
            selection[dimension.id] = sorted({s.content for s in sources}) or ["*"]
        elif dimension.id in filters:
            selection[dimension.id] = filters[dimension.id]
        elif dimension.role == "geo" or dimension.elimination is False or not sources:
            selection[dimension.id] = ["*"]
    return selection


def statistics_ingest(
    *,
    client: SsbClient,
    tables: list[str] | None = None,
    years: int = DEFAULT_YEARS,
    actor: Actor = SYSTEM,
    trigger: str = "schedule",
    progress: Progress | None = None,
) -> IngestRun:
    """Fetch and store the catalogue's tables (or ``tables``); returns the recorded run."""
    report = progress or (lambda step, done, total: None)
    wanted = tables if tables is not None else sorted(catalogue.tables())
    run = IngestRun.objects.create(started_at=timezone.now(), trigger=trigger[:100])
    for n, table in enumerate(wanted, start=1):
        report("Tables", n - 1, len(wanted))
        info: dict[str, Any]
        try:
            meta = client.metadata(table)
            datasets = client.data(table, selection_for(table, meta, years=years))
            api = client.v1_url if meta.api == "v1" else client.base_url
            result = services.statistics_import(
                datasets=datasets,
                table_id=table,
                origin=f"{api}/tables/{table}/data" if meta.api == "v2" else f"{api}/no/table/{table}",
                fetched_at=timezone.now(),
                actor=actor,
                progress=progress,
            )
            info = {**result.as_dict(), "api": meta.api, "calls": len(datasets)}
        except (SsbError, ImportRefused) as exc:
            info = {"error": str(exc)}
        run.tables = {**run.tables, table: info}
        run.calls = client.calls
        run.save(update_fields=["tables", "calls"])
    report("Tables", len(wanted), len(wanted))
    failed = len(run.failures)
    run.status = (
        IngestRun.Status.SUCCEEDED
        if not failed
        else IngestRun.Status.FAILED
        if failed == len(wanted)
        else IngestRun.Status.PARTIAL
    )
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def describe(run: IngestRun) -> list[str]:
    """The run in lines of text, for the command's output and the task's log."""
    lines = []
    for table, info in sorted(run.tables.items()):
        if info.get("error"):
            lines.append(f"{table}: failed — {info['error']}")
            continue
        text = (
            f"{table}: {info['cells']} cells, {info['created']} created, {info['changed']} changed, "
            f"{info['unchanged']} unchanged"
        )
        if info.get("new_periods"):
            text += f"; new periods {', '.join(info['new_periods'])}"
        if info.get("revised"):
            text += f"; {info['revised']} figures revised"
        if info.get("finalised"):
            text += f"; {info['finalised']} preliminary figures now final"
        if info.get("indicators"):
            text += f"; feeds the catalogue's {', '.join(info['indicators'])}"
        lines.append(text)
    lines.append(f"{run.calls} calls to SSB; run {run.status}")
    return lines
