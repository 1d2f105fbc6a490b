"""The SSB client against recorded real answers (../shared/data/ssb), replayed through httpx.MockTransport.

The v2 metadata answer for 12134 is the real 12134 data answer without its values: SSB's /metadata
answer is the same json-stat2 document minus ``value`` (see the 11118 pair in v2-doc-examples).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import orjson
import pytest

from kommunedialog.statistics.ssb_client import (
    Pacer,
    SsbBadResponse,
    SsbClient,
    SsbInvalidSelection,
    SsbProblem,
    SsbTableNotFound,
    SsbUnavailable,
)
from tests.statistics.conftest import SPIKE, V1_07459, V2_11118, V2_11118_META, V2_12134, read

DATA_12134 = read(V2_12134)
META_12134 = orjson.dumps({k: v for k, v in orjson.loads(DATA_12134).items() if k not in ("value", "status")})
SPIKE_ERRORS = {e["label"]: e for e in json.loads(read(SPIKE))["errors"]}


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def client_for(handler, **kwargs) -> tuple[SsbClient, FakeTime]:  # type: ignore[no-untyped-def]
    fake = FakeTime()
    client = SsbClient(transport=httpx.MockTransport(handler), clock=fake.clock, sleep=fake.sleep, **kwargs)
    return client, fake


def replay_12134(requests: list[httpx.Request]):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.endswith("/tables/12134/metadata"):
            return httpx.Response(200, content=META_12134)
        if request.url.path.endswith("/tables/12134/data"):
            return httpx.Response(200, content=DATA_12134)
        return httpx.Response(400, content=SPIKE_ERRORS["ugyldig tabell-ID"]["snippet"])

    return handler


def test_data_is_fetched_by_get_after_checking_the_codes():
    requests: list[httpx.Request] = []
    client, _ = client_for(replay_12134(requests))
    datasets = client.data(
        "12134", {"KOKkommuneregion0000": ["0301", "4601", "5001"], "ContentsCode": ["KOSAG110000"], "Tid": ["top(1)"]}
    )
    assert [d.cell(KOKkommuneregion0000="0301", ContentsCode="KOSAG110000", Tid="2024") for d in datasets] == [
        (81240, None)
    ]
    assert [r.method for r in requests] == ["GET", "GET"]
    query = parse_qs(urlsplit(unquote(str(requests[1].url))).query)
    assert query["valueCodes[KOKkommuneregion0000]"] == ["0301,4601,5001"]
    assert query["valueCodes[Tid]"] == ["2024"]
    assert query["outputFormat"] == ["json-stat2"]


def test_an_unknown_code_is_refused_before_asking_ssb():
    requests: list[httpx.Request] = []
    client, _ = client_for(replay_12134(requests))
    with pytest.raises(SsbInvalidSelection) as raised:
        client.data(
            "12134", {"KOKkommuneregion0000": ["0301", "3029"], "ContentsCode": ["KOSAG110000"], "Tid": ["2024"]}
        )
    assert (raised.value.table, raised.value.variable, raised.value.value) == ("12134", "KOKkommuneregion0000", "3029")
    assert str(raised.value) == (
        "Table 12134, variable KOKkommuneregion0000 (region): '3029' is not one of its 3 values; "
        "SSB would refuse the whole query"
    )
    assert [r.url.path for r in requests] == ["/api/pxwebapi/v2/tables/12134/metadata"]


def test_an_unknown_variable_and_a_missing_mandatory_variable_are_refused():
    client, _ = client_for(replay_12134([]))
    with pytest.raises(
        SsbInvalidSelection,
        match=r"^Table 12134 has no variable 'Region'; it has KOKkommuneregion0000, ContentsCode, Tid$",
    ):
        client.data("12134", {"Region": ["0301"], "ContentsCode": ["KOSAG110000"], "Tid": ["2024"]})
    with pytest.raises(SsbInvalidSelection, match=r"^Table 12134: KOKkommuneregion0000 must be selected"):
        client.data("12134", {"ContentsCode": ["KOSAG110000"], "Tid": ["2024"]})


def test_expressions_are_resolved_against_metadata():
    client, _ = client_for(lambda r: httpx.Response(200, content=read(V2_11118_META)))
    resolved = client.resolve("11118", {"Leveringssektor": ["B1*"], "ContentsCode": ["*"], "Tid": ["top(3)"]})
    assert resolved == {
        "Leveringssektor": ["B1", "B11", "B111", "B1111", "B1112", "B112", "B12", "B121", "B122"],
        "ContentsCode": ["LevIndAar", "Aarsendring"],
        "Tid": ["2021", "2022", "2023"],
    }
    assert client.resolve(
        "11118", {"Leveringssektor": ["B2"], "ContentsCode": ["LevIndAar"], "Tid": ["range(2016,2018)"]}
    )["Tid"] == ["2016", "2017", "2018"]
    with pytest.raises(SsbInvalidSelection, match=r"'1999' in 'from\(1999\)' is not a value of the table"):
        client.resolve("11118", {"Leveringssektor": ["B2"], "ContentsCode": ["LevIndAar"], "Tid": ["from(1999)"]})


def test_a_selection_over_the_cell_limit_is_split_and_a_long_one_goes_by_post():
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.endswith("/metadata"):
            return httpx.Response(200, content=read(V2_11118_META))
        return httpx.Response(200, content=read(V2_11118))

    client, _ = client_for(handler, max_cells=60, max_get_url=200)
    datasets = client.data("11118", {"Leveringssektor": ["*"], "ContentsCode": ["*"], "Tid": ["*"]})
    data_calls = [r for r in requests if r.url.path.endswith("/data")]
    # 14 × 2 × 9 = 252 cells, at most 60 per call: 3 sectors (54 cells) per call → 5 calls.
    assert len(datasets) == len(data_calls) == 5
    assert {r.method for r in data_calls} == {"POST"}
    body = json.loads(data_calls[0].content)
    assert body["selection"][0] == {"variableCode": "Leveringssektor", "valueCodes": ["B1", "B11", "B111"]}
    assert body["selection"][2]["valueCodes"] == [str(y) for y in range(2015, 2024)]


def test_pacing_keeps_under_the_call_budget_without_real_sleeping():
    fake = FakeTime()
    pacer = Pacer(max_calls=3, window=60.0, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        pacer.wait()
        fake.now += 1
    pacer.wait()  # the 4th call within 60 s waits for the first to leave the window
    assert fake.slept == [57.0]
    assert fake.now == 1060.0


def test_a_whole_catalogue_run_never_exceeds_the_budget():
    requests: list[httpx.Request] = []
    client, fake = client_for(replay_12134(requests), max_calls=25)
    times = []
    for _ in range(60):
        client.fetch_part("12134", {"KOKkommuneregion0000": ["0301"], "ContentsCode": ["KOSAG110000"], "Tid": ["2024"]})
        times.append(fake.now)
    assert max(sum(1 for t in times if start <= t < start + 60) for start in times) <= 25


def test_429_and_503_are_retried_with_backoff_and_retry_after():
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(503),
            httpx.Response(200, content=DATA_12134),
        ]
    )
    client, fake = client_for(lambda r: next(answers), backoff=2.0)
    dataset = client.fetch_part(
        "12134", {"KOKkommuneregion0000": ["0301"], "ContentsCode": ["KOSAG110000"], "Tid": ["2024"]}
    )
    assert dataset.table_id == "12134"
    assert fake.slept == [7.0, 4.0]


def test_persistent_server_errors_end_in_a_clear_exception():
    client, fake = client_for(lambda r: httpx.Response(502), retries=2, backoff=1.0)
    with pytest.raises(SsbUnavailable, match=r"^SSB answered 502 for table 12134 after 3 attempts$"):
        client.fetch_part("12134", {"Tid": ["2024"]})
    assert fake.slept == [1.0, 2.0]


def test_dropped_connections_are_retried():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("connection reset")
        return httpx.Response(200, content=DATA_12134)

    client, fake = client_for(handler, backoff=0.5)
    assert client.fetch_part("12134", {"Tid": ["2024"]}).cells == 3
    assert fake.slept == [0.5]


@pytest.mark.parametrize(
    ("label", "kind", "message"),
    [
        ("ugyldig tabell-ID", SsbTableNotFound, "SSB has no table 12134 (Non-existent table)"),
        (
            "ugyldig kommune-kode",
            SsbProblem,
            "SSB refused the request for table 12134: Non-existent value (HTTP 400) — selected "
            "KOKkommuneregion0000: 9999; ContentsCode: KOSAG110000; Tid: 2024",
        ),
        (
            "manglende mandatory",
            SsbProblem,
            "SSB refused the request for table 12134: Missing selection for mandantory variable (HTTP 400) — "
            "selected KOKkommuneregion0000: 9999; ContentsCode: KOSAG110000; Tid: 2024",
        ),
    ],
)
def test_ssb_problem_answers_become_clear_exceptions(label, kind, message):
    error = SPIKE_ERRORS[label]
    client, _ = client_for(lambda r: httpx.Response(error["status"], content=error["snippet"]))
    with pytest.raises(kind) as raised:
        client.fetch_part("12134", {"KOKkommuneregion0000": ["9999"], "ContentsCode": ["KOSAG110000"], "Tid": ["2024"]})
    assert str(raised.value) == message
    assert raised.value.table == "12134"


def test_the_html_404_for_an_overlong_get_url_is_explained():
    spike = json.loads(read(SPIKE))["singleBatch"]
    client, _ = client_for(
        lambda r: httpx.Response(404, content=spike["body"], headers={"content-type": "text/html"}),
        max_get_url=10_000,
    )
    codes = [f"{n:04d}" for n in range(1000, 1400)]
    with pytest.raises(SsbBadResponse, match=r"with an HTML 404 page — use POST$"):
        client.fetch_part("12134", {"KOKkommuneregion0000": codes, "ContentsCode": ["KOSAG110000"], "Tid": ["2024"]})


def test_v1_post_of_a_statbank_api_query():
    query = json.loads(read("ssb/v1-07459-query-KommSummer-2022.json"))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=read(V1_07459))

    client, _ = client_for(handler)
    dataset = client.data_v1("07459", query["queryObj"]["query"])
    assert (dataset.cells, seen[0].method, seen[0].url.path) == (359, "POST", "/api/v0/no/table/07459")
    assert json.loads(seen[0].content)["response"] == {"format": "json-stat2"}
    assert json.loads(seen[0].content)["query"][0]["selection"]["filter"] == "agg:KommSummer"


def test_v1_error_body():
    client, _ = client_for(
        lambda r: httpx.Response(
            400, json={"error": "The request for variable 'Region' has an error. Please check your query."}
        )
    )
    with pytest.raises(SsbProblem, match=r"variable 'Region' has an error"):
        client.data_v1("07459", [])


def test_klass_client_is_reused_on_the_same_transport():
    klass_body = json.loads(read(SPIKE))["klass"]["body"]
    client, _ = client_for(lambda r: httpx.Response(200, content=klass_body))
    import datetime as dt

    codes = client.klass().codes_at(131, dt.date(2026, 1, 1))
    assert len(codes) == 358
