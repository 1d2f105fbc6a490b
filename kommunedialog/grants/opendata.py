"""Awarded grants in the 360Giving Data Standard's shape (JSON package and flat CSV), from the public
records only (``grants.public``). Licence: CC BY 4.0.

Identifiers: grants are ``360G-kommunedialog-<application id>``. Organisations are
``NO-BRC-<organisation number>`` (Brønnøysundregistrene, as org-id.guide lists it) when the number is
known: for the recipient municipality when the application gives one, for the office (funder) when an
administrator has entered it in the register. Otherwise the recipient is
``360G-kommunedialog-kommune-<municipality number>`` and the funder ``360G-kommunedialog-embete-<office code>``.

Beneficiary locations carry the municipality number as ``geoCode`` with ``countryCode`` ``NO`` and no
``geoCodeType``: the standard's geoCodeType codelist is closed and holds only UK (ONS) code types, any
other value makes the data invalid, and a field without a fitting code is to be left out.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kommunedialog.grants.public import PublicGrant

PREFIX = "360G-kommunedialog"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def grant_id(grant: PublicGrant) -> str:
    return f"{PREFIX}-{grant.application_id}"


def recipient_id(grant: PublicGrant) -> str:
    if grant.organisation_number:
        return f"NO-BRC-{grant.organisation_number}"
    return f"{PREFIX}-kommune-{grant.lead.number}"


def funder_id(grant: PublicGrant) -> str:
    if grant.office_organisation_number:
        return f"NO-BRC-{grant.office_organisation_number}"
    return f"{PREFIX}-embete-{grant.office_code}"


def duration_months(grant: PublicGrant) -> int:
    return max(1, round((grant.period_end - grant.period_start).days / 30.4375))


def to_360giving(grant: PublicGrant) -> dict[str, Any]:
    """One grant as a 360Giving grant object (field names and types of the standard's grant schema)."""
    return {
        "id": grant_id(grant),
        "title": grant.title,
        "description": grant.summary,
        "currency": "NOK",
        "amountAwarded": grant.amount_awarded,
        "amountAppliedFor": grant.amount_applied,
        "awardDate": grant.award_date.isoformat(),
        "plannedDates": [
            {
                "startDate": grant.period_start.isoformat(),
                "endDate": grant.period_end.isoformat(),
                "duration": duration_months(grant),
            }
        ],
        "recipientOrganization": [{"id": recipient_id(grant), "name": grant.lead.name}],
        "fundingOrganization": [{"id": funder_id(grant), "name": grant.office_name}],
        "grantProgramme": [{"code": f"prosjektskjonn-{grant.office_code}-{grant.year}", "title": grant.call_title_nb}],
        "beneficiaryLocation": [
            {"name": place.name, "geoCode": place.number, "countryCode": "NO"} for place in grant.municipalities
        ],
        "classifications": [
            {"vocabulary": "kommunedialog-prosjektskjonn-tema", "code": grant.theme, "title": grant.theme_label}
        ],
    }


def package(grants: list[PublicGrant]) -> dict[str, Any]:
    return {"grants": [to_360giving(g) for g in grants]}


CSV_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Amount Applied For",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Planned Dates:Duration (months)",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Country Code",
]


def _guard(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet; a leading quote keeps it text.
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text


def csv_text(grants: list[PublicGrant]) -> str:
    """The flat 360Giving CSV: one row per grant, several locations joined by "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for grant in grants:
        item = to_360giving(grant)
        locations = item["beneficiaryLocation"]
        writer.writerow(
            [
                item["id"],
                _guard(item["title"]),
                _guard(item["description"]),
                item["currency"],
                item["amountAwarded"],
                item["amountAppliedFor"],
                item["awardDate"],
                item["plannedDates"][0]["startDate"],
                item["plannedDates"][0]["endDate"],
                item["plannedDates"][0]["duration"],
                item["recipientOrganization"][0]["id"],
                item["recipientOrganization"][0]["name"],
                item["fundingOrganization"][0]["id"],
                item["fundingOrganization"][0]["name"],
                item["grantProgramme"][0]["code"],
                _guard(item["grantProgramme"][0]["title"]),
                "; ".join(loc["name"] for loc in locations),
                "; ".join(loc["geoCode"] for loc in locations),
                "NO",
            ]
        )
    return out.getvalue()
