"""Open data: the grants API and the 360Giving-shaped JSON and CSV, validated against the field names
and types of the 360Giving grant schema (the subset that applies, written out below; nothing fetched)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client

from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db

ORGANISATION = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1}},
}
# The 360Giving geoCodeType codelist (codelists/geoCodeType.csv in the standard; closed).
GEO_CODE_TYPES = [
    *("OA", "LSOA", "MSOA", "USOA", "PAR", "WD", "UA", "NMD", "MD", "LONB", "CTY", "GOR", "RGN", "WPC", "EER"),
    *("CANNET", "CSP", "PFA", "PUA", "NPARK", "REGD", "REGSD", "TTWA", "FRA", "LAC", "WZ", "CMWD", "LEP", "CCG"),
    *("NHSAT", "CMLAD", "CMCTY", "SA", "DZ", "IG", "CHP", "ROA - CPP", "ROA - Local", "HB", "CA", "SPC", "COM"),
    *("NAWC", "CDRP", "AgricSmall", "CFA"),
]
# The 360Giving Data Standard grant schema (1.3/1.4): required fields and the types of those we fill.
GRANT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
    ],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "currency": {"type": "string", "pattern": r"^[A-Z]{3}$"},
        "amountAwarded": {"type": "number"},
        "amountAppliedFor": {"type": "number"},
        "awardDate": {"type": "string", "format": "date"},
        "plannedDates": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "startDate": {"type": "string", "format": "date"},
                    "endDate": {"type": "string", "format": "date"},
                    "duration": {"type": "integer"},
                },
            },
        },
        "recipientOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "fundingOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "grantProgramme": {
            "type": "array",
            "items": {"type": "object", "properties": {"code": {"type": "string"}, "title": {"type": "string"}}},
        },
        "beneficiaryLocation": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "geoCode": {"type": "string"},
                    # A closed codelist of UK (ONS) code types only: no value fits a Norwegian kommunenummer.
                    "geoCodeType": {"enum": GEO_CODE_TYPES},
                    "countryCode": {"type": "string", "pattern": r"^[A-Z]{2}$"},
                },
            },
        },
        "classifications": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "vocabulary": {"type": "string"},
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                },
            },
        },
    },
}
TYPES = {
    "string": str,
    "array": list,
    "object": dict,
    "integer": int,
    "number": (int, float),
}


def errors(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """A small JSON Schema check for the keywords used above (jsonschema is not a dependency)."""
    found = []
    kind = schema.get("type")
    if kind and (not isinstance(value, TYPES[kind]) or (kind in {"integer", "number"} and isinstance(value, bool))):
        return [f"{path}: expected {kind}, got {type(value).__name__}"]
    if kind == "object":
        found += [f"{path}: missing {name}" for name in schema.get("required", []) if name not in value]
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                found += errors(value[name], sub, f"{path}.{name}")
    if kind == "array":
        if len(value) < schema.get("minItems", 0):
            found.append(f"{path}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            found += errors(item, schema.get("items", {}), f"{path}[{i}]")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} is not in the codelist")
    if kind == "string":
        if len(value) < schema.get("minLength", 0):
            found.append(f"{path}: empty")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            found.append(f"{path}: {value!r} is not a date")
    return found


def test_the_validator_catches_what_it_should():
    missing = errors({"id": 1}, GRANT_SCHEMA)
    assert "$: missing title" in missing
    assert "$.id: expected string, got int" in missing
    bad = {"currency": "nok", "amountAwarded": "5", "awardDate": "23.11.2026"}
    found = errors(bad, GRANT_SCHEMA)
    assert "$.currency: 'nok' does not match ^[A-Z]{3}$" in found
    assert "$.amountAwarded: expected number, got str" in found
    assert "$.awardDate: '23.11.2026' is not a date" in found
    location = {"beneficiaryLocation": [{"geoCode": "1133", "geoCodeType": "KOMMUNENUMMER"}]}
    assert "$.beneficiaryLocation[0].geoCodeType: 'KOMMUNENUMMER' is not in the codelist" in errors(
        location, GRANT_SCHEMA
    )


def test_the_360giving_json_validates_against_the_grant_schema():
    scenario = make_scenario()
    response = Client().get("/api/v1/grants/360giving.json")
    assert response.headers["Content-Type"] == "application/json"
    grants = response.json()["grants"]
    assert len(grants) == 1
    grant = grants[0]
    assert errors(grant, GRANT_SCHEMA) == []
    application = scenario["grant_awarded_application"]
    assert grant["id"] == f"360G-kommunedialog-{application.pk}"
    assert (grant["currency"], grant["amountAwarded"], grant["amountAppliedFor"]) == ("NOK", 400_000, 400_000)
    assert grant["recipientOrganization"] == [{"id": "360G-kommunedialog-kommune-1133", "name": "Hjelmeland"}]
    assert grant["fundingOrganization"] == [
        {"id": "360G-kommunedialog-embete-rogaland", "name": "Statsforvalteren i Rogaland"}
    ]
    assert grant["plannedDates"] == [{"startDate": "2026-01-01", "endDate": "2026-12-31", "duration": 12}]
    assert grant["grantProgramme"] == [{"code": "prosjektskjonn-rogaland-2025", "title": "Scenario: utlysning 2025"}]
    assert grant["beneficiaryLocation"] == [{"name": "Hjelmeland", "geoCode": "1133", "countryCode": "NO"}]


def test_a_recipient_with_an_organisation_number_gets_a_brreg_identifier():
    scenario = make_scenario()
    from kommunedialog.grants.models import Application

    Application.objects.filter(pk=scenario["grant_awarded_application"].pk).update(organisation_number="964979189")
    grant = Client().get("/api/v1/grants/360giving.json").json()["grants"][0]
    assert grant["recipientOrganization"][0]["id"] == "NO-BRC-964979189"


def test_an_office_with_an_organisation_number_is_a_brreg_funder():
    from kommunedialog.registry.models import Office

    make_scenario()
    Office.objects.filter(code="rogaland").update(organisation_number="900000006")  # made up, valid check digit
    grant = Client().get("/api/v1/grants/360giving.json").json()["grants"][0]
    assert grant["fundingOrganization"] == [{"id": "NO-BRC-900000006", "name": "Statsforvalteren i Rogaland"}]
    rows = list(csv.DictReader(io.StringIO(Client().get("/api/v1/grants/360giving.csv").content.decode("utf-8-sig"))))
    assert [r["Funding Org:Identifier"] for r in rows] == ["NO-BRC-900000006"]


def test_the_360giving_csv_has_the_standard_columns():
    make_scenario()
    response = Client().get("/api/v1/grants/360giving.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Amount Applied For",
        "Award Date",
        "Planned Dates:Start Date",
    ]
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["Title"], record["Currency"], record["Amount Awarded"], record["Recipient Org:Identifier"]) == (
        "Scenario: awarded project",
        "NOK",
        "400000",
        "360G-kommunedialog-kommune-1133",
    )


def test_the_grants_api_lists_and_filters():
    scenario = make_scenario()
    body = Client().get("/api/v1/grants").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["title"], item["amount_awarded"], item["office"], item["lead_municipality"]["number"]) == (
        "Scenario: awarded project",
        400_000,
        "rogaland",
        "1133",
    )
    assert item["url"] == f"/prosjektskjonn/prosjekt/{scenario['grant_project'].pk}/"
    assert Client().get("/api/v1/grants?office=vestland").json()["count"] == 0
    assert Client().get("/api/v1/grants?municipality=1133&year=2025").json()["count"] == 1


def test_the_grants_endpoints_are_in_the_openapi_document():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/grants", "/api/v1/grants/360giving.json", "/api/v1/grants/360giving.csv"} <= set(paths)


def test_the_award_date_is_the_norwegian_date_of_the_decision():
    """A decision at 00:30 on New Year's Day in Oslo is 23:30 the day before in UTC."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from kommunedialog.grants import public
    from kommunedialog.grants.models import Decision

    scenario = make_scenario()
    application = scenario["grant_awarded_application"]
    Decision.objects.filter(application=application).update(
        decided_at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Oslo"))
    )
    [grant] = [g for g in public.grants() if g.application_id == application.pk]
    assert grant.award_date == dt.date(2026, 1, 1)
