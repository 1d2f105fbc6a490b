"""Downloads of figures (/api/v1/indicators/{key}/data and /api/v1/municipalities/{number}/data) on the
demo's real figures, read back with the tools their users have: pyjstat for JSON-stat, pandas for the
CSV, openpyxl for the XLSX. Each must hold exactly the figures the JSON API gives."""

from __future__ import annotations

import io
import json
import math
import re
from typing import Any

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command
from django.test import Client
from pyjstat import pyjstat

from kommunedialog.statistics.downloads import COLUMNS

pytestmark = pytest.mark.django_db

ROGALAND_DEMO = ("1133", "1134", "1130", "1127")  # Hjelmeland, Suldal, Strand, Randaberg
SCOPES = ("kostra_group", "county", "country")
UTC_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CSV_HEADER = [
    "indicator",
    "indicator_name",
    "unit",
    "decimals",
    "region_kind",
    "region",
    "region_name",
    "year",
    "value",
    "status",
    "revision",
    "method",
    "table",
    "content_code",
    "source_region",
    "code_history",
    "updated",
    "fetched_at",
    "publisher",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)
        from tests.conftest import load_register

        load_register()


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def api_figures(client: Client, number: str) -> dict[str, dict[tuple[str, int], float]]:
    """Per indicator, (region code, year) -> value: the municipality's figures and its group, county and
    country beside it, as /municipalities/{number}/indicators gives them (figures with a value only)."""
    found: dict[str, dict[tuple[str, int], float]] = {}
    for item in client.get(f"/api/v1/municipalities/{number}/indicators").json()["indicators"]:
        cells = {(number, f["year"]): f["value"] for f in item["figures"] if f["value"] is not None}
        for scope in SCOPES:
            cells |= {(a["code"], a["year"]): a["value"] for a in item[scope] if a["value"] is not None}
        found[item["indicator"]] = cells
    return found


def jsonstat_cells(text: str, regions: set[str]) -> dict[str, dict[tuple[str, int], float]]:
    frame = pyjstat.Dataset.read(text).write("dataframe", naming="id")
    found: dict[str, dict[tuple[str, int], float]] = {}
    for row in frame.itertuples(index=False):
        if row.region in regions and not math.isnan(row.value):
            found.setdefault(row.ContentsCode, {})[(row.region, int(row.Tid))] = row.value
    return found


def test_pyjstat_reads_each_indicator_download_with_the_apis_figures(demo, client):
    expected: dict[str, dict[tuple[str, int], float]] = {}
    for number in ROGALAND_DEMO:
        for key, cells in api_figures(client, number).items():
            expected.setdefault(key, {}).update(cells)
    assert len(expected) == 23
    for key, cells in expected.items():
        response = client.get(f"/api/v1/indicators/{key}/data?format=json-stat")
        assert response.status_code == 200, key
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.headers["Content-Disposition"] == f'attachment; filename="kommunedialog-{key}.json"'
        regions = {region for region, _ in cells}
        assert jsonstat_cells(response.content.decode(), regions) == {key: cells}, key


def test_the_json_stat_is_written_as_ssb_writes_it(demo, client):
    dataset = client.get("/api/v1/municipalities/1133/data?format=json-stat").json()
    assert (dataset["version"], dataset["class"]) == ("2.0", "dataset")
    assert dataset["id"] == ["region", "ContentsCode", "Tid"]
    assert dataset["role"] == {"time": ["Tid"], "geo": ["region"], "metric": ["ContentsCode"]}
    assert UTC_SECONDS.match(dataset["updated"])
    regions = dataset["dimension"]["region"]["category"]
    assert list(regions["index"]) == ["1133", "EKG06", "11", "EAK"]
    assert regions["label"] == {"1133": "Hjelmeland", "EKG06": "KOSTRA-gruppe 6", "11": "Rogaland", "EAK": "Norge"}
    assert dataset["dimension"]["region"]["extension"]["kind"] == {
        "1133": "municipality",
        "EKG06": "kostra_group",
        "11": "county",
        "EAK": "country",
    }
    contents = dataset["dimension"]["ContentsCode"]["category"]
    assert contents["unit"]["population"] == {"base": "personer", "decimals": 0}
    assert contents["label"]["population"] == "Folkemengde 1. januar"
    assert len(contents["index"]) == 21
    assert dataset["size"] == [4, 21, len(dataset["dimension"]["Tid"]["category"]["index"])]
    assert len(dataset["value"]) == math.prod(dataset["size"])
    assert "status" not in dataset  # Hjelmeland has no missing-value symbols
    assert pyjstat.Dataset.read(json.dumps(dataset)).write("dataframe").shape == (len(dataset["value"]), 4)


def test_a_missing_value_is_null_with_ssbs_symbol_keyed_by_its_index(demo, client):
    url = "/api/v1/indicators/youth_club_hours_per_1000/data"
    dataset = client.get(url + "?format=json-stat").json()
    frame = pd.read_csv(io.BytesIO(body(client.get(url + "?format=csv"))), dtype=str, keep_default_na=False)
    marked = frame[frame["status"] != ""]
    assert set(marked["status"]) == {".."}
    assert (marked["value"] == "").all()  # never a zero
    assert len(dataset["status"]) == len(marked) > 0
    for index, symbol in dataset["status"].items():
        assert (symbol, dataset["value"][int(index)]) == ("..", None)


def test_the_municipality_download_in_json_stat_has_the_apis_figures(demo, client):
    expected = api_figures(client, "1134")
    response = client.get("/api/v1/municipalities/1134/data?format=json-stat")
    regions = {"1134", "EKG17", "11", "EAK"}
    assert jsonstat_cells(response.content.decode(), regions) == expected


def test_pandas_reads_the_csv_with_the_apis_figures(demo, client):
    response = client.get("/api/v1/municipalities/1130/data?format=csv")
    assert response.status_code == 200
    assert response.streaming  # sent row by row
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kommunedialog-1130.csv"'
    frame = pd.read_csv(io.BytesIO(body(response)), dtype={"region": str, "source_region": str})
    assert list(frame.columns) == CSV_HEADER == list(COLUMNS)
    found: dict[str, dict[tuple[str, int], float]] = {}
    for row in frame[frame["value"].notna()].itertuples(index=False):
        found.setdefault(row.indicator, {})[(row.region, int(row.year))] = row.value
    assert found == api_figures(client, "1130")
    # Every municipality figure names where it comes from.
    own = frame[frame["region_kind"] == "municipality"]
    assert set(own["region"]) == {"1130"}
    for column in ("table", "content_code", "code_history", "fetched_at", "revision", "publisher"):
        assert own[column].notna().all(), column


def test_the_indicator_csv_streams_every_current_municipality(demo, client):
    response = client.get("/api/v1/indicators/population/data?format=csv")
    assert response.streaming
    frame = pd.read_csv(io.BytesIO(body(response)), dtype={"region": str})
    municipalities = frame[frame["region_kind"] == "municipality"]
    assert municipalities["region"].nunique() == 357
    assert not municipalities.duplicated(["region", "year"]).any()


def test_openpyxl_opens_the_xlsx_with_the_csvs_rows(demo, client):
    csv_rows = pd.read_csv(
        io.BytesIO(body(client.get("/api/v1/indicators/free_income_per_capita/data?format=csv"))), dtype=str
    )
    response = client.get("/api/v1/indicators/free_income_per_capita/data?format=xlsx")
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kommunedialog-free_income_per_capita.xlsx"'
    assert response.streaming  # sent in chunks from a temporary file
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    assert book.sheetnames == ["data", "about"]
    rows = list(book["data"].iter_rows(values_only=True))
    assert list(rows[0]) == CSV_HEADER
    assert len(rows) - 1 == len(csv_rows)
    values = {(r[5], r[7]): r[8] for r in rows[1:]}
    assert values[("0301", 2024)] == 81240  # Oslo's free income per inhabitant, SSB 12134
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["licence"] == "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/indicators/no_such_indicator/data", 404),
        ("/api/v1/municipalities/1201/data?format=csv", 404),  # Bergen's number before 2020
        ("/api/v1/indicators/population/data?format=pdf", 422),
    ],
)
def test_a_download_that_does_not_exist_is_refused(db, client, url, status):
    assert client.get(url).status_code == status


def test_the_municipality_page_and_every_chart_link_their_data(demo, client):
    html = client.get("/kommuner/1133/", headers={"Accept-Language": "en"}).content.decode()
    for fmt in ("csv", "xlsx", "json-stat"):
        assert html.count(f'href="/api/v1/municipalities/1133/data?format={fmt}"') == 1
    charts = re.findall(r'<figure class="statistics__chart">.*?</figure>', html, flags=re.DOTALL)
    assert len(charts) == 40  # 21 in the statistics section, 19 in the published kommunebilde's evidence
    for chart in charts:
        keys = re.findall(r'href="/api/v1/indicators/(\w+)/data\?format=(csv|xlsx|json-stat)"', chart)
        assert [fmt for _, fmt in keys] == ["csv", "xlsx", "json-stat"]
        assert len({key for key, _ in keys}) == 1
        assert client.get(f"/api/v1/indicators/{keys[0][0]}/data?format=csv").status_code == 200
