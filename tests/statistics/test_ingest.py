"""The scheduled ingest against recorded real SSB answers, replayed through httpx.MockTransport (no
network). A table's metadata answer is its recorded data answer without values (SSB's /metadata answer
is the same json-stat2 document minus ``value``, as the 11118 pair in v2-doc-examples shows); a v1
metadata answer lists the same variables and codes in v1's shape. Each data call is answered with the
recorded answer cut to what was asked, so splitting a query is visible in the calls."""

from __future__ import annotations

import io
import itertools
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import pytest
from django.core.management import CommandError, call_command

from kommunedialog.statistics import ingest, tasks
from kommunedialog.statistics.management.commands import ingest_statistics
from kommunedialog.statistics.models import IngestRun, Observation
from kommunedialog.statistics.ssb_client import SsbClient
from tests.statistics.conftest import V1_07459, V2_12063, read

pytestmark = pytest.mark.django_db

V2_12209 = "ssb/v2-12209-jsonstat2-891-regioner-hjemmetj80-2019-2023.json"
NOT_FOUND = {"type": "Parameter error", "title": "Non-existent table", "status": 404}


def cut(doc: dict[str, Any], selection: dict[str, list[str]]) -> dict[str, Any]:
    """The recorded answer restricted to the selected codes (in the answer's own order)."""
    ids, sizes = doc["id"], doc["size"]
    keep = []
    for dim in ids:
        index = doc["dimension"][dim]["category"]["index"]
        codes = sorted(index, key=index.__getitem__)
        wanted = selection.get(dim, codes)
        keep.append([(c, index[c]) for c in codes if c in wanted])
    strides = [1] * len(ids)
    for k in range(len(ids) - 2, -1, -1):
        strides[k] = strides[k + 1] * sizes[k + 1]
    values, status = [], {}
    for combo in itertools.product(*keep):
        flat = sum(i * s for (_, i), s in zip(combo, strides, strict=True))
        if str(flat) in (doc.get("status") or {}):
            status[str(len(values))] = doc["status"][str(flat)]
        values.append(doc["value"][flat])
    out = {**doc, "size": [len(k) for k in keep], "value": values, "status": status}
    out["dimension"] = {
        dim: {
            **doc["dimension"][dim],
            "category": {
                **doc["dimension"][dim]["category"],
                "index": {c: n for n, (c, _) in enumerate(kept)},
                "label": {c: doc["dimension"][dim]["category"]["label"][c] for c, _ in kept},
                **(
                    {"unit": {c: u for c, u in doc["dimension"][dim]["category"]["unit"].items() if c in dict(kept)}}
                    if "unit" in doc["dimension"][dim]["category"]
                    else {}
                ),
            },
        }
        for dim, kept in zip(ids, keep, strict=True)
    }
    return out


def metadata(doc: dict[str, Any]) -> bytes:
    return orjson.dumps({k: v for k, v in doc.items() if k not in ("value", "status")})


def v1_metadata(doc: dict[str, Any]) -> bytes:
    variables = []
    for dim in doc["id"]:
        category = doc["dimension"][dim]["category"]
        codes = sorted(category["index"], key=category["index"].__getitem__)
        variables.append(
            {"code": dim, "text": doc["dimension"][dim]["label"], "values": codes,
             "valueTexts": [category["label"][c] for c in codes], "time": dim == "Tid"}
        )  # fmt: skip
    return orjson.dumps({"title": doc["label"], "variables": variables})


class Recorded:
    """SSB as recorded: per table a v2 (or v1) answer; logs every request."""

    def __init__(self, v2: dict[str, dict[str, Any]] | None = None, v1: dict[str, dict[str, Any]] | None = None):
        self.v2, self.v1 = v2 or {}, v1 or {}
        self.requests: list[httpx.Request] = []

    def selection(self, request: httpx.Request) -> dict[str, list[str]]:
        if request.method == "POST":
            body = orjson.loads(request.content)
            if "selection" in body:
                return {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
            return {q["code"]: q["selection"]["values"] for q in body["query"]}
        query = parse_qs(urlsplit(str(request.url)).query)
        return {k[len("valueCodes[") : -1]: v[0].split(",") for k, v in query.items() if k.startswith("valueCodes[")}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path.startswith("/api/pxwebapi/v2/tables/"):
            table = path.split("/")[5]
            if table not in self.v2:
                return httpx.Response(404, json=NOT_FOUND)
            if path.endswith("/metadata"):
                return httpx.Response(200, content=metadata(self.v2[table]))
            return httpx.Response(200, content=orjson.dumps(cut(self.v2[table], self.selection(request))))
        if path.startswith("/api/v0/no/table/"):
            table = path.rsplit("/", 1)[1]
            if table not in self.v1:
                return httpx.Response(404, json=NOT_FOUND)
            if request.method == "GET":
                return httpx.Response(200, content=v1_metadata(self.v1[table]))
            return httpx.Response(200, content=orjson.dumps(cut(self.v1[table], self.selection(request))))
        return httpx.Response(404, json=NOT_FOUND)

    def client(self, **kwargs: Any) -> SsbClient:
        return SsbClient(transport=httpx.MockTransport(self), sleep=lambda s: None, **kwargs)


def answer(relative: str) -> dict[str, Any]:
    doc: dict[str, Any] = orjson.loads(read(relative))
    return doc


def test_a_run_fetches_every_region_of_a_catalogue_table_and_is_recorded():
    ssb = Recorded(v2={"12209": answer(V2_12209)})
    run = ingest.statistics_ingest(client=ssb.client(), tables=["12209"], trigger="test")
    assert (run.status, run.calls, run.finished_at is not None) == ("succeeded", 2, True)
    assert run.tables["12209"] == {
        "cells": 1782, "created": 1782, "changed": 0, "unchanged": 0, "new_periods": [], "revised": 0,
        "finalised": 0, "indicators": ["home_care_80plus_share"], "inputs_to": [], "api": "v2", "calls": 1,
    }  # fmt: skip
    data = ssb.requests[1]
    # 891 region codes make a URL SSB would answer with an HTML 404: the selection goes by POST.
    assert (data.method, len(ssb.selection(data)["KOKkommuneregion0000"])) == ("POST", 891)
    assert ssb.selection(data)["ContentsCode"] == ["KOShjtj80aarover0001"]
    oslo = Observation.objects.get(series="12209/KOShjtj80aarover0001/", region="0301", period="2023")
    assert (oslo.value, oslo.revision) == (23.7, "final")
    again = ingest.statistics_ingest(client=ssb.client(), tables=["12209"], trigger="test")
    assert (again.tables["12209"]["created"], again.tables["12209"]["unchanged"]) == (0, 1782)
    assert IngestRun.objects.count() == 2


def test_a_selection_above_the_cell_limit_is_split_into_several_calls():
    ssb = Recorded(v2={"12209": answer(V2_12209)})
    run = ingest.statistics_ingest(client=ssb.client(max_cells=1000), tables=["12209"], trigger="test")
    data_calls = [r for r in ssb.requests if r.url.path.endswith("/data")]
    assert [len(ssb.selection(r)["KOKkommuneregion0000"]) for r in data_calls] == [500, 391]
    assert (run.tables["12209"]["cells"], run.tables["12209"]["calls"], run.calls) == (1782, 2, 3)


def test_new_periods_and_the_june_revision_are_recorded():
    recorded = answer(V2_12063)
    first = Recorded(v2={"12063": recorded})
    run = ingest.statistics_ingest(client=first.client(), tables=["12063"], trigger="test")
    assert run.tables["12063"]["cells"] == 1080  # 360 regions × the catalogue's three contents
    assert set(Observation.objects.filter(table__table_id="12063").values_list("revision", flat=True)) == {
        "preliminary"
    }
    # SSB's revised figures of 15 June: one value changed, every figure now final.
    revised = orjson.loads(orjson.dumps(recorded))
    revised["updated"] = "2026-06-15T06:00:00Z"
    index = revised["dimension"]["KOKkommuneregion0000"]["category"]["index"]
    regions = sorted(index, key=index.__getitem__)  # SSB's index object is not in position order here
    hours = revised["dimension"]["ContentsCode"]["category"]["index"]["KOSfritidtimer100000"]
    first = next(r for r, code in enumerate(regions) if revised["value"][r * 13 + hours] is not None)
    revised["value"][first * 13 + hours] = 999
    run = ingest.statistics_ingest(client=Recorded(v2={"12063": revised}).client(), tables=["12063"], trigger="test")
    with_figures = Observation.objects.filter(table__table_id="12063", value__isnull=False).count()
    assert (run.tables["12063"]["revised"], run.tables["12063"]["finalised"]) == (1, 1080)
    assert with_figures < 1080  # the ".." cells are finalised too: SSB's word on them is final now
    assert Observation.objects.get(series="12063/KOSfritidtimer100000/", region=regions[first]).value == 999


def test_a_new_year_is_recorded_as_a_new_period():
    only_2019 = cut(answer(V2_12209), {"Tid": ["2019"]})
    ingest.statistics_ingest(client=Recorded(v2={"12209": only_2019}).client(), tables=["12209"], trigger="test")
    run = ingest.statistics_ingest(
        client=Recorded(v2={"12209": answer(V2_12209)}).client(), tables=["12209"], trigger="test"
    )
    assert (run.tables["12209"]["new_periods"], run.tables["12209"]["created"]) == (["2023"], 891)


def test_a_table_only_v1_serves_is_fetched_from_v1():
    ssb = Recorded(v1={"07459": answer(V1_07459)})
    run = ingest.statistics_ingest(client=ssb.client(), tables=["07459"], trigger="test")
    assert [(r.method, r.url.path) for r in ssb.requests] == [
        ("GET", "/api/pxwebapi/v2/tables/07459/metadata"),
        ("GET", "/api/v0/no/table/07459"),
        ("POST", "/api/v0/no/table/07459"),
    ]
    query = orjson.loads(ssb.requests[2].content)
    assert query["response"] == {"format": "json-stat2"}
    assert [q["code"] for q in query["query"]] == ["Region", "ContentsCode", "Tid"]
    assert run.tables["07459"]["api"] == "v1"
    assert Observation.objects.get(series="07459/Personer1/", region="K-0301").value == 699827


def test_failures_are_recorded_and_the_run_goes_on():
    ssb = Recorded(v2={"12209": answer(V2_12209)})
    run = ingest.statistics_ingest(client=ssb.client(), tables=["12209", "99999"], trigger="test")
    assert run.status == "partial"
    assert run.failures == {"99999": "SSB has no table 99999 (Non-existent table)"}
    assert Observation.objects.filter(table__table_id="12209").count() == 1782
    failed = ingest.statistics_ingest(client=ssb.client(), tables=["99999"], trigger="test")
    assert failed.status == "failed"


def test_a_code_the_table_does_not_have_stops_the_table_before_ssb_is_asked():
    recorded = answer(V2_12209)
    recorded["dimension"]["ContentsCode"]["category"]["index"] = {"KOShjtj80aarover0002": 0}
    recorded["dimension"]["ContentsCode"]["category"]["label"] = {"KOShjtj80aarover0002": "x"}
    recorded["dimension"]["ContentsCode"]["category"]["unit"] = {"KOShjtj80aarover0002": {"base": "x", "decimals": 1}}
    ssb = Recorded(v2={"12209": recorded})
    run = ingest.statistics_ingest(client=ssb.client(), tables=["12209"], trigger="test")
    assert run.failures["12209"].startswith(
        "Table 12209, variable ContentsCode (statistikkvariabel): 'KOShjtj80aarover0001' is not one of its 1 values"
    )
    assert [r.url.path for r in ssb.requests] == ["/api/pxwebapi/v2/tables/12209/metadata"]
    assert Observation.objects.count() == 0


def test_the_command_prints_the_run(monkeypatch):
    ssb = Recorded(v2={"12209": answer(V2_12209)})
    monkeypatch.setattr(ingest_statistics, "make_client", ssb.client)
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_statistics", "--table", "12209", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "12209: 1782 cells, 1782 created, 0 changed, 0 unchanged; feeds the catalogue's home_care_80plus_share",
        "2 calls to SSB",
    ]
    with pytest.raises(CommandError, match=r"^1 of 1 tables failed: 99999$"):
        call_command("ingest_statistics", "--table", "99999", stdout=out, stderr=err)
    assert "99999: failed — SSB has no table 99999 (Non-existent table)" in err.getvalue()


def test_the_scheduled_task_runs_the_ingest_and_returns_the_run(monkeypatch):
    ssb = Recorded(v2={"12209": answer(V2_12209)})
    monkeypatch.setattr(tasks, "SsbClient", ssb.client)
    result = tasks.ingest_statistics.enqueue(table="12209", years=2)
    run = IngestRun.objects.get(pk=result.return_value)
    assert (run.trigger, run.status, run.tables["12209"]["cells"]) == ("task:ingest_statistics", "succeeded", 1782)
    assert "top(2)" not in str(ssb.requests[1].content)  # resolved to the two newest years before asking
