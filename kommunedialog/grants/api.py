"""Open data endpoints of Prosjektskjønn, mounted under /api/v1/ by kommunedialog.api.api: awarded
grants that the office has published, and the same in the 360Giving shape (JSON and CSV).

No ``from __future__ import annotations`` here: django-ninja reads the paginated view's annotations
at import time."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kommunedialog.core.pagination import LinkedPagination
from kommunedialog.grants import opendata, public
from kommunedialog.grants.public import GrantFilter, PublicGrant

router = Router(tags=["grants"])


class PlaceOut(Schema):
    number: str
    name: str


class GrantOut(Schema):
    id: str
    title: str
    description: str
    theme: str
    currency: str
    amount_awarded: int
    amount_applied_for: int
    award_date: dt.date
    year: int
    office: str
    office_name: str
    county: str
    lead_municipality: PlaceOut
    partner_municipalities: list[PlaceOut]
    planned_start: dt.date
    planned_end: dt.date
    project_state: str
    url: str


class GrantQuery(Schema):
    office: str | None = None
    county: str | None = None
    municipality: str | None = None
    year: int | None = None
    theme: str | None = None

    def as_filter(self) -> GrantFilter:
        return GrantFilter(
            office=self.office or "",
            county=self.county or "",
            municipality=self.municipality or "",
            year=self.year,
            theme=self.theme or "",
        )


def grant_out(grant: PublicGrant) -> GrantOut:
    return GrantOut(
        id=opendata.grant_id(grant),
        title=grant.title,
        description=grant.summary,
        theme=grant.theme,
        currency="NOK",
        amount_awarded=grant.amount_awarded,
        amount_applied_for=grant.amount_applied,
        award_date=grant.award_date,
        year=grant.year,
        office=grant.office_code,
        office_name=grant.office_name,
        county=grant.county_number,
        lead_municipality=PlaceOut(number=grant.lead.number, name=grant.lead.name),
        partner_municipalities=[PlaceOut(number=p.number, name=p.name) for p in grant.partners],
        planned_start=grant.period_start,
        planned_end=grant.period_end,
        project_state=grant.project_state,
        url=reverse("grants_public:project_show", kwargs={"project_id": grant.project_id}),
    )


@router.get("/grants", response=list[GrantOut], url_name="list_grants", summary="Awarded grants (Prosjektskjønn)")
@paginate(LinkedPagination, page_size=200)
def list_grants(request: HttpRequest, filters: Query[GrantQuery]) -> list[GrantOut]:
    """Grants awarded and published by the County Governors, newest first, optionally filtered by office
    code, county number, municipality number (lead or partner), year of the call and theme."""
    return [grant_out(g) for g in public.grants(filters.as_filter())]


@router.get("/grants/360giving.json", url_name="grants_360giving_json", summary="Awarded grants, 360Giving JSON")
def grants_360giving_json(request: HttpRequest) -> HttpResponse:
    """Every published awarded grant as a 360Giving data package (``{"grants": [...]}``), CC BY 4.0."""
    body: dict[str, Any] = opendata.package(public.grants())
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response.headers["Link"] = f'<{opendata.LICENSE}>; rel="license"'
    return response


@router.get("/grants/360giving.csv", url_name="grants_360giving_csv", summary="Awarded grants, 360Giving CSV")
def grants_360giving_csv(request: HttpRequest) -> HttpResponse:
    """The same grants as a flat CSV with the 360Giving column titles (UTF-8 with BOM for spreadsheets)."""
    response = HttpResponse("\ufeff" + opendata.csv_text(public.grants()), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="prosjektskjonn-360giving.csv"'
    response.headers["Link"] = f'<{opendata.LICENSE}>; rel="license"'
    return response
