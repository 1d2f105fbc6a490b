"""ingest_statistics against recorded real answers (no network): the metadata answer for 12134 is the
real data answer without its values, as in test_ssb_client."""

from __future__ import annotations

import io

import httpx
import orjson
import pytest
from django.core.management import CommandError, call_command

from kommunedialog.statistics import catalogue
from kommunedialog.statistics.management.commands import ingest_statistics
from kommunedialog.statistics.models import Observation
from kommunedialog.statistics.ssb_client import SsbClient
from tests.statistics.conftest import V2_12134, read

pytestmark = pytest.mark.django_db

DATA = read(V2_12134)
META = orjson.dumps({k: v for k, v in orjson.loads(DATA).items() if k != "value"})


@pytest.fixture
def recorded(monkeypatch):  # type: ignore[no-untyped-def]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path == "/api/pxwebapi/v2/tables/12134/metadata":
            return httpx.Response(200, content=META)
        if request.url.path == "/api/pxwebapi/v2/tables/12134/data":
            return httpx.Response(200, content=DATA)
        return httpx.Response(404, json={"type": "Parameter error", "title": "Non-existent table", "status": 404})

    monkeypatch.setattr(
        ingest_statistics,
        "make_client",
        lambda: SsbClient(transport=httpx.MockTransport(handler), sleep=lambda s: None),
    )
    return requests


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest_statistics", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
    # Progress bars go to stderr too; the tests read the messages.
    messages = "\n".join(line for line in err.getvalue().splitlines() if " [" not in line or "CommandError" in line)
    return out.getvalue(), messages


def test_codes_the_table_does_not_have_stop_the_table_before_ssb_is_asked(recorded):
    _, err = run("--table", "12134")
    assert err.splitlines() == [
        "12134: Table 12134, variable ContentsCode (statistikkvariabel): 'KOSAGD230000' is not one of its 1 values; "
        "SSB would refuse the whole query",
        "CommandError: 1 of 1 tables failed: 12134",
    ]
    assert [r.url.path for r in recorded] == ["/api/pxwebapi/v2/tables/12134/metadata"]
    assert Observation.objects.count() == 0


def test_ingest_stores_the_catalogue_table_once(recorded, monkeypatch):
    frie = catalogue.by_key()["free_income_per_capita"]
    monkeypatch.setattr(catalogue, "tables", lambda: {"12134": [frie]})
    out, _ = run("--years", "1")
    assert out.splitlines() == [
        "12134: 3 cells, 3 created, 0 changed, 0 unchanged; feeds the catalogue's free_income_per_capita",
        "2 calls to SSB",
    ]
    data_call = recorded[1]
    assert "valueCodes[KOKkommuneregion0000]=0301,4601,5001" in str(data_call.url).replace("%5B", "[").replace(
        "%5D", "]"
    )
    assert Observation.objects.get(region="0301").value == 81240
    out, _ = run("--years", "1")
    assert (
        out.splitlines()[0]
        == "12134: 3 cells, 0 created, 0 changed, 3 unchanged; feeds the catalogue's free_income_per_capita"
    )


def test_an_unknown_table_is_reported(recorded):
    _, err = run("--table", "99999")
    assert err.splitlines() == [
        "99999: SSB has no table 99999 (Non-existent table)",
        "CommandError: 1 of 1 tables failed: 99999",
    ]
