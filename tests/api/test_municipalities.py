from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) >= {"/api/v1/municipalities", "/api/v1/municipalities/{number}"}


def test_list_filters_by_county_office_and_date(client):
    assert client.get("/api/v1/municipalities").json()["count"] == 357
    rogaland = client.get("/api/v1/municipalities", {"county": "11"}).json()
    assert rogaland["count"] == 23
    assert rogaland["items"][0]["number"] == "1101"
    assert client.get("/api/v1/municipalities", {"office": "troms-finnmark"}).json()["count"] == 21 + 18
    # The 2020–2023 structure had 356 municipalities.
    assert client.get("/api/v1/municipalities", {"valid_on": "2023-06-01"}).json()["count"] == 356


def test_detail_gives_the_current_code_of_a_former_one(client):
    body = client.get("/api/v1/municipalities/3029").json()
    assert (body["is_current"], body["valid_to"]) == (False, "2024-01-01")
    assert body["current_codes"] == [{"number": "3222", "name": "Lørenskog", "weight": "1.0000"}]


def test_detail_of_a_split_code_gives_both_parts(client):
    body = client.get("/api/v1/municipalities/1507").json()
    assert [c["number"] for c in body["current_codes"]] == ["1508", "1580"]
    assert [(c["new_code"], c["weight"], c["weight_source"]) for c in body["successor_changes"]] == [
        ("1508", "0.5000", "fhi"),
        ("1580", "0.5000", "fhi"),
    ]


def test_detail_of_a_current_code(client):
    body = client.get("/api/v1/municipalities/1133").json()
    assert body["name"] == "Hjelmeland"
    assert body["office"] == {"code": "rogaland", "name": "Statsforvalteren i Rogaland"}
    assert (body["language_form"], body["kostra_group"], body["current_codes"][0]["number"]) == (
        "nynorsk",
        body["kostra_group"],
        "1133",
    )


def test_unknown_code_is_404(client):
    assert client.get("/api/v1/municipalities/4242").status_code == 404
