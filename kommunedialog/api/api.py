"""The open data API (/api/v1/), described by the OpenAPI document at /api/v1/openapi.json.

Only public facts are served here. Licence: CC BY 4.0 for our data, with SSB and Kartverket credited.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import paginate

from kommunedialog.api import catalog, dcat
from kommunedialog.core.pagination import LinkedPagination
from kommunedialog.grants.api import router as grants_router
from kommunedialog.profiles.api import router as profiles_router
from kommunedialog.registry import codes
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics.api import router as statistics_router

api = NinjaAPI(
    title="Kommunedialog open data API",
    version="1.0.0",
    description="Municipalities, counties, County Governor offices and code history; published kommunebilder, "
    "awarded grants and municipal indicators, with downloads of the figures as CSV, XLSX and JSON-stat. "
    "Data: SSB (CC BY 4.0) and Kommunedialog (CC BY 4.0).\n\n"
    "Every answer may be read from any origin (CORS, no credentials). Every public answer carries `ETag` and "
    "`Last-Modified`; send them back as `If-None-Match` or `If-Modified-Since` and an unchanged answer is 304 "
    "with no body. Lists are paged with `limit` and `offset` and give the `next` and `previous` pages' "
    "addresses. One client address may make `API_RATE_LIMIT` requests (600 unless the operator says "
    "otherwise) every `API_RATE_LIMIT_PERIOD` seconds (60); every answer says where it stands in "
    "`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and the request after the last is "
    "answered 429 with `Retry-After`, the seconds until it may ask again.",
    urls_namespace="api",
    docs_url=None,
    # Served by openapi_json below, which answers GET only (ninja's own view answers any method).
    openapi_url=None,
)


class CountyOut(Schema):
    number: str
    name: str


class OfficeOut(Schema):
    code: str
    name: str


class MunicipalityOut(Schema):
    number: str
    name: str
    name_norwegian: str
    other_names: list[str]
    county: CountyOut | None
    office: OfficeOut | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    language_form: str
    population: int | None
    population_year: int | None
    centrality: int | None
    kostra_group: str | None

    @staticmethod
    def resolve_kostra_group(obj: Municipality) -> str | None:
        return obj.kostra_group.code if obj.kostra_group else None

    @staticmethod
    def resolve_office(obj: Municipality) -> OfficeOut | None:
        office = obj.office
        return OfficeOut(code=office.code, name=office.name) if office else None


class CodeShareOut(Schema):
    number: str
    name: str
    weight: Decimal


class PredecessorOut(Schema):
    number: str
    name: str
    became: str
    occurred_on: dt.date
    weight: Decimal


class CodeChangeOut(Schema):
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    occurred_on: dt.date
    weight: Decimal
    weight_source: str


class MunicipalityDetailOut(MunicipalityOut):
    is_current: bool
    current_codes: list[CodeShareOut]
    predecessors: list[PredecessorOut]
    successor_changes: list[CodeChangeOut]


class MunicipalityFilter(Schema):
    county: str | None = None
    office: str | None = None
    valid_on: dt.date | None = None


@api.get("/municipalities", response=list[MunicipalityOut], tags=["register"], summary="List municipalities")
@paginate(LinkedPagination, page_size=400)
def list_municipalities(request: HttpRequest, filters: Query[MunicipalityFilter]) -> list[Municipality]:
    """Municipalities valid on ``valid_on`` (today by default), optionally in one county or office."""
    qs = Municipality.objects.valid_on(filters.valid_on or timezone.localdate()).select_related(
        "county__office", "kostra_group"
    )
    if filters.county:
        qs = qs.filter(county__number=filters.county)
    if filters.office:
        qs = qs.filter(county__office__code=filters.office)
    return list(qs.order_by("number"))


@api.get(
    "/municipalities/{number}",
    response=MunicipalityDetailOut,
    tags=["register"],
    summary="One municipality code with its history",
)
def get_municipality(request: HttpRequest, number: str) -> Municipality:
    """A current or former code: its newest version, the current code(s) it maps to, the old codes that
    fed it, and the changes that retired it."""
    version = (
        Municipality.objects.filter(number=number)
        .select_related("county__office", "kostra_group")
        .order_by(F("valid_to").desc(nulls_first=True))
        .first()
    )
    if version is None:
        raise Http404("No such municipality code")
    # Read by the response schema alongside the model's own fields.
    version.current_codes = codes.current_codes(number)  # type: ignore[attr-defined]
    version.predecessors = codes.predecessors(number)  # type: ignore[attr-defined]
    version.successor_changes = codes.successors_of(number)  # type: ignore[attr-defined]
    return version


@api.get("/", url_name="index", tags=["catalogue"], summary="What this API serves, with links")
def index(request: HttpRequest) -> JsonResponse:
    """The API's front door (the DCAT-AP-NO service's endpoint URL): where its description and catalogue are."""
    base = catalog.base_url(request)
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "licence": catalog.CC_BY_4_0.url,
            "openapi": base + reverse("openapi"),
            "catalogue": {
                "turtle": base + reverse("api:catalog_turtle"),
                "json-ld": base + reverse("api:catalog_jsonld"),
            },
            "open_data_page": base + reverse("publicsite:open_data_show"),
        }
    )


@api.get(
    "/catalog.ttl", url_name="catalog_turtle", tags=["catalogue"], summary="Dataset catalogue (DCAT-AP-NO, Turtle)"
)
def catalog_turtle(request: HttpRequest) -> HttpResponse:
    """The open datasets and their distributions as a DCAT-AP-NO catalogue, for data.norge.no to harvest."""
    graph = dcat.catalogue_graph(base_url=catalog.base_url(request))
    return HttpResponse(graph.serialize(format="turtle"), content_type="text/turtle; charset=utf-8")


@api.get(
    "/catalog.jsonld", url_name="catalog_jsonld", tags=["catalogue"], summary="Dataset catalogue (DCAT-AP-NO, JSON-LD)"
)
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """The same catalogue as JSON-LD."""
    graph = dcat.catalogue_graph(base_url=catalog.base_url(request))
    return HttpResponse(graph.serialize(format="json-ld"), content_type="application/ld+json; charset=utf-8")


api.add_router("", statistics_router)
api.add_router("", grants_router)
api.add_router("", profiles_router)


def _header(description: str, kind: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": kind}}


RATE_HEADERS = {
    "RateLimit-Limit": _header("Requests allowed in each period", "integer"),
    "RateLimit-Remaining": _header("Requests left in this period", "integer"),
    "RateLimit-Reset": _header("Seconds until the period ends", "integer"),
}
OK_HEADERS = {
    "ETag": _header("The answer's version; send it back as If-None-Match"),
    "Last-Modified": _header("When the data behind the answer last changed; send it back as If-Modified-Since"),
    **RATE_HEADERS,
}
NOT_MODIFIED = {"description": "Not modified: the answer is the one the client holds", "headers": OK_HEADERS}
TOO_MANY = {
    "description": "Too many requests from this address in this period",
    "headers": {"Retry-After": _header("Seconds until the client may ask again", "integer"), **RATE_HEADERS},
}


def with_http_behaviour(schema: dict[str, Any]) -> dict[str, Any]:
    """Every GET says it answers 304 to a conditional request and 429 over the rate limit (api.middleware)."""
    for item in schema["paths"].values():
        operation = item.get("get")
        if operation is None:
            continue
        responses = operation.setdefault("responses", {})
        if "200" in responses or 200 in responses:
            ok = responses.get(200) or responses["200"]
            ok.setdefault("headers", {}).update(OK_HEADERS)
        responses["304"] = NOT_MODIFIED
        responses["429"] = TOO_MANY
    return schema


@require_safe
def openapi_json(request: HttpRequest) -> JsonResponse:
    schema = with_http_behaviour(dict(api.get_openapi_schema(path_prefix="/api/v1/")))
    return JsonResponse(schema, json_dumps_params={"ensure_ascii": False})
