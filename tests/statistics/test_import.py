from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import orjson
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from kommunedialog.core.models import AuditEvent
from kommunedialog.statistics import jsonstat, services
from kommunedialog.statistics.models import Aggregate, Observation, StatisticsTable
from tests.statistics.conftest import V1_12367, V2_12063, V2_12134, data_path, read

pytestmark = pytest.mark.django_db

FETCHED = dt.datetime(2026, 4, 25, 10, 35, tzinfo=dt.UTC)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_statistics", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
    return out.getvalue(), err.getvalue()


def dataset(regions: dict[str, int | None], *, year: str = "2024", updated: str = "2026-03-16T07:00:00Z", **extra):  # type: ignore[no-untyped-def]
    """A 12134 answer shaped like the real one, for other regions and values."""
    doc = orjson.loads(read(V2_12134))
    doc["size"] = [len(regions), 1, 1]
    doc["dimension"]["KOKkommuneregion0000"]["category"] = {"index": {r: i for i, r in enumerate(regions)}}
    doc["dimension"]["Tid"]["category"] = {"index": {year: 0}}
    doc["value"] = list(regions.values())
    doc["updated"] = updated
    doc.update(extra)
    return jsonstat.parse(doc)


def test_dry_run_prints_cells_and_status_symbols_of_every_ssb_file():
    out, err = run("--dry-run", str(data_path("ssb")), str(data_path(V2_12063)))
    assert out.splitlines() == [
        "v1-07459-jsonstat2-KommSummer-2022.json: table 07459; Region=359, ContentsCode=1, Tid=1; 359 cells; status symbols: none",
        "v1-12191-jsonstat2-kommunehelse-9kommuner-2018-2020.json: table 12191; ContentsCode=5, KOKkommuneregion0000=9, Tid=3; 135 cells; status symbols: '.' 90, '..' 1, ':' 1",
        "v1-12367-jsonstat2-regnskap-EAK-3001-EKG-2015-2020.json: table 12367; KOKkommuneregion0000=5, KOKregnskapsomfa0000=2, KOKfunksjon0000=5, KOKart0000=5, ContentsCode=1, Tid=5; 1250 cells; status symbols: '.' 400, ':' 85",
        "v2-07459-jsonstat2-0301-1103-1804-alder80-104-2017-2024.json: table 07459; Region=3, Kjonn=2, Alder=25, ContentsCode=1, Tid=2; 300 cells; status symbols: none",
        "v2-07459-jsonstat2-3101-halden-kjonn-alder-2005-2026.json: table 07459; Region=1, Kjonn=2, Alder=106, ContentsCode=1, Tid=22; 4664 cells; status symbols: none",
        "v2-12134-jsonstat2-0301-4601-5001-2024.json: table 12134; KOKkommuneregion0000=3, ContentsCode=1, Tid=1; 3 cells; status symbols: none",
        "v2-12209-jsonstat2-891-regioner-hjemmetj80-2019-2023.json: table 12209; KOKkommuneregion0000=891, ContentsCode=1, Tid=2; 1782 cells; status symbols: '.' 939, '..' 10",
        "v2-13599-jsonstat2-landet-alder80-104-MMM-2025-2026-2035.json: table 13599; Kjonn=2, Alder=25, Framskriv=1, ContentsCode=1, Tid=3; 150 cells; status symbols: none",
        "ssb-v2-12063-jsonstat2-alle-kommuner-2025.json: table 12063; KOKkommuneregion0000=360, Tid=1, ContentsCode=13; 4680 cells; status symbols: '..' 994",
    ]
    assert err.splitlines() == [
        "v1-07459-query-3101-halden-kjonn-alder-2005-2026.json: Not a JSON-stat dataset: this is a PxWebApi query body (Statistikkbanken's 'API-spørring' export)",
        "v1-07459-query-KommSummer-2022.json: Not a JSON-stat dataset: this is a PxWebApi query body (Statistikkbanken's 'API-spørring' export)",
        "v2-spike-results-12134-2026-04-25.json: Not a JSON-stat dataset: it has no 'class' (its keys are errors, finishedAt, klass, parallel, sequential, singleBatch)",
        "CommandError: 3 of 12 files could not be read or stored",
    ]
    assert Observation.objects.count() == 0


def test_dry_run_json_is_one_object_per_file():
    out, _ = run("--dry-run", "--json", str(data_path("ssb")), str(data_path(V2_12063)))
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["file"] for o in objects] == [
        "v1-07459-jsonstat2-KommSummer-2022.json",
        "v1-07459-query-3101-halden-kjonn-alder-2005-2026.json",
        "v1-07459-query-KommSummer-2022.json",
        "v1-12191-jsonstat2-kommunehelse-9kommuner-2018-2020.json",
        "v1-12367-jsonstat2-regnskap-EAK-3001-EKG-2015-2020.json",
        "v2-07459-jsonstat2-0301-1103-1804-alder80-104-2017-2024.json",
        "v2-07459-jsonstat2-3101-halden-kjonn-alder-2005-2026.json",
        "v2-12134-jsonstat2-0301-4601-5001-2024.json",
        "v2-12209-jsonstat2-891-regioner-hjemmetj80-2019-2023.json",
        "v2-13599-jsonstat2-landet-alder80-104-MMM-2025-2026-2035.json",
        "v2-spike-results-12134-2026-04-25.json",
        "ssb-v2-12063-jsonstat2-alle-kommuner-2025.json",
    ]
    summaries = {o["file"]: o for o in objects if "error" not in o}
    assert summaries["ssb-v2-12063-jsonstat2-alle-kommuner-2025.json"] == {
        "file": "ssb-v2-12063-jsonstat2-alle-kommuner-2025.json",
        "table": "12063",
        "dimensions": {"KOKkommuneregion0000": 360, "Tid": 1, "ContentsCode": 13},
        "cells": 4680,
        "status": {"..": 994},
    }
    assert summaries["v1-12367-jsonstat2-regnskap-EAK-3001-EKG-2015-2020.json"]["status"] == {".": 400, ":": 85}
    assert summaries["v1-12191-jsonstat2-kommunehelse-9kommuner-2018-2020.json"]["status"] == {".": 90, "..": 1, ":": 1}
    assert summaries["v1-07459-jsonstat2-KommSummer-2022.json"]["cells"] == 359
    assert summaries["v2-12134-jsonstat2-0301-4601-5001-2024.json"]["cells"] == 3
    assert [o["error"][:52] for o in objects if "error" in o] == [
        "v1-07459-query-3101-halden-kjonn-alder-2005-2026.jso",
        "v1-07459-query-KommSummer-2022.json: Not a JSON-stat",
        "v2-spike-results-12134-2026-04-25.json: Not a JSON-s",
    ]


def test_import_stores_figures_with_provenance_and_audits_once():
    out, _ = run(str(data_path(V2_12134)), "--fetched-at", "2026-04-25")
    assert out.splitlines() == [
        "12134: 3 cells, 3 created, 0 changed, 0 unchanged; feeds the catalogue's free_income_per_capita"
    ]
    oslo = Observation.objects.get(series="12134/KOSAG110000/", region="0301")
    assert (oslo.value, oslo.status, oslo.unit, oslo.decimals, oslo.period, oslo.year) == (
        81240,
        "",
        "kr",
        0,
        "2024",
        2024,
    )
    assert (oslo.municipality, oslo.stitch, oslo.region_kind, oslo.revision) == (
        "0301",
        "same",
        "municipality",
        "final",
    )
    assert oslo.updated == dt.datetime(2026, 3, 16, 7, tzinfo=dt.UTC)
    assert oslo.fetched_at == dt.datetime(2026, 4, 25, 12, tzinfo=dt.UTC)
    table = StatisticsTable.objects.get(table_id="12134")
    assert table.label.startswith("12134: Utvalgte nøkkeltall for kommuneregnskap")
    assert table.contents == {"KOSAG110000": "Frie inntekter per innbygger (kr)"}
    assert len(table.notes) == 2
    event = AuditEvent.objects.get(action="statistics_import")
    assert (event.actor_label, event.after["created"], event.after["changed"], event.after["origin"]) == (
        "system",
        3,
        0,
        "file:v2-12134-jsonstat2-0301-4601-5001-2024.json",
    )


def test_a_second_import_writes_and_audits_nothing():
    run(str(data_path(V2_12134)))
    rows_before = list(Observation.objects.values_list("pk", "fetched_at", "value"))
    aggregates_before = list(Aggregate.objects.values_list("pk", "computed_at"))
    events = AuditEvent.objects.count()
    out, _ = run(str(data_path(V2_12134)))
    assert out.splitlines() == [
        "12134: 3 cells, 0 created, 0 changed, 3 unchanged; feeds the catalogue's free_income_per_capita"
    ]
    assert list(Observation.objects.values_list("pk", "fetched_at", "value")) == rows_before
    assert list(Aggregate.objects.values_list("pk", "computed_at")) == aggregates_before
    assert AuditEvent.objects.count() == events


def test_a_changed_figure_is_updated_and_audited_with_before_and_after():
    services.statistics_import(datasets=[dataset({"0301": 81240, "4601": 66605})], origin="test", fetched_at=FETCHED)
    result = services.statistics_import(
        datasets=[dataset({"0301": 81300, "4601": 66605}, updated="2026-06-15T06:00:00Z")],
        origin="test",
        fetched_at=FETCHED,
    )
    assert (result.created, result.changed, result.unchanged) == (0, 2, 0)
    event = AuditEvent.objects.filter(action="statistics_import").latest("pk")
    assert event.before["12134/KOSAG110000/|0301|2024|0301"] == [81240, "", "final"]
    assert event.after["12134/KOSAG110000/|0301|2024|0301"] == [81300, "", "final"]
    assert (result.revised, result.finalised) == (1, 0)


def test_an_older_answer_does_not_overwrite_newer_figures():
    services.statistics_import(datasets=[dataset({"0301": 81240})], origin="new", fetched_at=FETCHED)
    result = services.statistics_import(
        datasets=[dataset({"0301": 1}, updated="2025-03-15T07:00:00Z")], origin="old", fetched_at=FETCHED
    )
    assert (result.older_kept, result.changed) == (1, 0)
    assert Observation.objects.get(region="0301").value == 81240
    assert StatisticsTable.objects.get().origin == "new"


def test_an_import_is_all_or_nothing(monkeypatch):
    def fail(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.aggregates, "refresh", fail)
    with pytest.raises(RuntimeError):
        services.statistics_import(datasets=[dataset({"0301": 81240})], origin="test", fetched_at=FETCHED)
    assert (StatisticsTable.objects.count(), Observation.objects.count(), Aggregate.objects.count()) == (0, 0, 0)
    assert not AuditEvent.objects.filter(action="statistics_import").exists()


def test_answers_for_two_tables_are_refused_as_one_import():
    other = jsonstat.parse(read(V1_12367))
    with pytest.raises(services.ImportRefused, match=r"^One import is one table, these answers are for 12134, 12367$"):
        services.statistics_import(datasets=[dataset({"0301": 1}), other], origin="test")
    assert Observation.objects.count() == 0


def test_preliminary_or_final_follows_the_kostra_publication_dates():
    run(str(data_path(V1_12367)), str(data_path(V2_12063)))
    revisions = dict(
        Observation.objects.filter(series__startswith="12367/", region="EAK").values_list("year", "revision").distinct()
    )
    # SSB stamped this answer 14 June 2021 (Oslo time): revised figures up to 2019, unrevised for 2020.
    assert revisions == {2015: "final", 2016: "final", 2017: "final", 2019: "final", 2020: "preliminary"}
    assert set(Observation.objects.filter(table__table_id="12063").values_list("revision", flat=True)) == {
        "preliminary"
    }


def test_status_symbols_are_stored_as_status_with_no_value():
    run(str(data_path(V1_12367)))
    suppressed = Observation.objects.filter(status=":")
    assert suppressed.count() == 85
    assert not suppressed.exclude(value=None).exists()
    assert Observation.objects.filter(status=".").count() == 400


def test_old_codes_are_carried_over_and_splits_say_they_cannot_be():
    services.statistics_import(
        datasets=[dataset({"3029": 100, "1507": 200, "0124": 300}, year="2023")], origin="test", fetched_at=FETCHED
    )
    services.statistics_import(
        datasets=[dataset({"3222": 110, "1508": 210}, year="2024")], origin="test", fetched_at=FETCHED
    )
    rows = {
        o.region: (o.municipality, o.stitch, o.stitch_targets)
        for o in Observation.objects.filter(series="12134/KOSAG110000/")
    }
    assert rows == {
        "3029": ("3222", "renumbered", ""),
        "3222": ("3222", "same", ""),
        "1507": ("", "split", "1508,1580"),
        "1508": ("1508", "same", ""),
        "0124": ("", "merged", "3118"),
    }
    lorenskog = Observation.objects.filter(municipality="3222").order_by("year").values_list("year", "value")
    assert list(lorenskog) == [(2023, 100), (2024, 110)]


def test_aggregates_are_computed_when_ssb_gives_none_and_taken_from_ssb_when_it_does():
    run(str(data_path(V2_12134)))
    aggregates = {(a.scope, a.code): (a.value, a.method, a.members, a.with_value) for a in Aggregate.objects.all()}
    assert aggregates[("kostra_group", "EKG13")] == (81240, "weighted_mean", 1, 1)
    assert aggregates[("county", "03")] == (81240, "weighted_mean", 1, 1)
    assert aggregates[("kostra_group", "EKG12")] == (None, "insufficient", 11, 2)
    assert aggregates[("country", "EAK")] == (None, "insufficient", 357, 3)
    services.statistics_import(datasets=[dataset({"EAK": 60000, "EKG12": 61000})], origin="test", fetched_at=FETCHED)
    assert Aggregate.objects.get(code="EAK").method == "ssb"
    assert (Aggregate.objects.get(code="EKG12").value, Aggregate.objects.get(code="EKG12").median) == (61000, 64729)


def test_a_csv_export_is_imported(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        '"07459: Befolkning, etter region, statistikkvariabel og år"\r\n\r\n'
        '"region";"Personer 2024"\r\n"0301 Oslo";728714\r\n"1133 Hjelmeland";2643\r\n'.encode("iso-8859-1")
    )
    out, err = run(str(path), "--table", "07459")
    # Stored, but an export names contents by label, so the catalogue's population (Personer1) is not fed:
    # the importer is told so instead of finding the page without the figures.
    assert out.splitlines() == [
        "07459: 2 cells, 2 created, 0 changed, 0 unchanged; no catalogue indicator reads these figures — the "
        "catalogue reads 07459/Personer1/ (table/content/filters); import SSB's JSON-stat answer for those"
    ], err
    assert Observation.objects.get(region="1133").series == "07459/Personer/"


def test_an_answer_names_the_catalogue_indicators_it_feeds():
    out, err = run(str(data_path("ssb/v1-07459-jsonstat2-KommSummer-2022.json")))
    # Population is shown itself and is the denominator of every per-inhabitant figure.
    assert out.splitlines()[0].endswith("; feeds the catalogue's population; input to 21 computed indicators"), err


def test_a_json_answer_and_a_csv_export_of_one_table_do_not_overwrite_each_other(tmp_path: Path):
    """Seen in load_demo: each file rewrote the table's description, so every rerun wrote and audited."""
    csv = tmp_path / "export.csv"
    csv.write_bytes(
        '"07459: Befolkning, etter region, statistikkvariabel og år"\r\n\r\n'
        '"region";"Personer 2023"\r\n"1133 Hjelmeland";2600\r\n'.encode("iso-8859-1")
    )
    json_answer = str(data_path("ssb/v1-07459-jsonstat2-KommSummer-2022.json"))
    run(json_answer)
    run(str(csv), "--table", "07459")
    label = StatisticsTable.objects.get(table_id="07459").label
    events = AuditEvent.objects.count()
    run(json_answer)
    run(str(csv), "--table", "07459")
    assert AuditEvent.objects.count() == events
    assert StatisticsTable.objects.get(table_id="07459").label == label


def test_a_missing_path_is_an_error():
    _, err = run("/nonexistent/file.json")
    assert err.strip() == "CommandError: /nonexistent/file.json: no such file or folder"


def analyzed(work) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``work`` refreshed the planner's statistics of the figures once it committed."""
    with CaptureQueriesContext(connection) as queries, TestCase.captureOnCommitCallbacks(execute=True):
        work()
    return f"ANALYZE {Observation._meta.db_table}" in [q["sql"] for q in queries.captured_queries]


def test_a_large_import_refreshes_the_planners_statistics_after_commit():
    """Without fresh statistics SQLite reads the page's figures through the wrong index (ANALYZE)."""
    small = dataset({"0301": 81240})
    assert not analyzed(lambda: services.statistics_import(datasets=[small], origin="small", fetched_at=FETCHED))
    large = jsonstat.parse(read(V2_12063))
    assert analyzed(lambda: services.statistics_import(datasets=[large], origin="large"))
    assert not analyzed(lambda: services.statistics_import(datasets=[large], origin="again"))  # nothing new
    assert analyzed(lambda: services.statistics_refresh_aggregates())
