"""Open data API endpoints of the statistics app, mounted under /api/v1/ by kommunedialog.api.api.

Figures come with their provenance (table, content code, period, SSB's update time, fetch time,
preliminary or final) and their comparisons; never with a rank or position.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from ninja import Field, Query, Router, Schema, Status

from kommunedialog.core.domains import Domain
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, download_formats, downloads, queries, whatif
from kommunedialog.statistics.catalogue import Indicator
from kommunedialog.statistics.models import Aggregate

router = Router(tags=["statistics"])


class SeriesOut(Schema):
    table: str  # an SSB table number, or the dataset id of another publisher's file
    content_code: str
    filters: dict[str, str]
    checked: str | None  # SSB only: response, metadata or unverified


class SourceOut(Schema):
    evidence: str
    publisher: str
    url: str
    table: str | None
    content_code: str | None
    filters: dict[str, str]
    checked: str | None
    series: list[SeriesOut]
    formula: str | None


class IndicatorOut(Schema):
    key: str
    domain: str
    name: dict[str, str]
    definition: dict[str, str]
    unit: str
    decimals: int
    polarity: str
    polarity_reason: dict[str, str]
    aggregation: str
    source: SourceOut


def _formula(indicator: Indicator) -> str | None:
    if not indicator.is_computed:
        return None

    def terms(items: tuple[catalogue.Term, ...]) -> str:
        return " + ".join(t.indicator or " | ".join(s.series for s in t.sources) for t in items)

    lag = " (next year's 1 January)" if indicator.denominator_lag else ""
    return f"({terms(indicator.numerator)}) / ({terms(indicator.denominator)}){lag} × {indicator.scale:g}"


def indicator_out(indicator: Indicator) -> IndicatorOut:
    ssb = indicator.evidence is catalogue.Evidence.SSB
    return IndicatorOut(
        key=indicator.key,
        domain=indicator.domain.value,
        name=dict(indicator.name),
        definition=dict(indicator.definition),
        unit=indicator.unit,
        decimals=indicator.decimals,
        polarity=indicator.polarity.value,
        polarity_reason=dict(indicator.polarity_reason),
        aggregation=indicator.aggregation.value,
        source=SourceOut(
            evidence=indicator.evidence.value,
            publisher=indicator.publisher,
            url=indicator.source_url,
            table=indicator.table if ssb else None,
            content_code=indicator.content if ssb else None,
            filters=dict(indicator.filters),
            checked=indicator.checked or None,
            series=[
                SeriesOut(
                    table=s.table,
                    content_code=s.content,
                    filters=dict(s.filters),
                    checked=s.checked.value if s.checked else None,
                )
                for s in indicator.every_source()
            ],
            formula=_formula(indicator),
        ),
    )


class FigureOut(Schema):
    year: int
    period: str
    value: float | None
    status: str | None  # ".", "..", ":" — the value is then null, never zero
    revision: str
    table: str
    content_code: str
    region: str  # the code the source published it under (an old code when carried over)
    code_history: str
    updated: dt.datetime | None
    fetched_at: dt.datetime
    publisher: str
    computed_from: dict[str, Any]  # for combined, apportioned and computed figures: the source values


class AggregateOut(Schema):
    code: str
    year: int
    value: float | None
    method: str
    members: int
    with_value: int
    median: float | None
    q1: float | None
    q3: float | None


class TravelOut(Schema):
    from_year: int | None
    to_year: int | None
    change: float | None
    direction: str
    judgement: str


class UnstitchedOut(Schema):
    region: str
    code_history: str
    years: list[int]


class MunicipalityIndicatorOut(Schema):
    indicator: str
    domain: str
    unit: str
    decimals: int
    polarity: str
    figures: list[FigureOut]
    kostra_group: list[AggregateOut]
    county: list[AggregateOut]
    country: list[AggregateOut]
    direction_of_travel: TravelOut | None
    not_carried_over: list[UnstitchedOut]


class DomainWithoutFiguresOut(Schema):
    domain: str
    indicators: list[str]  # catalogue indicators with no figures for this municipality


class MunicipalityIndicatorsOut(Schema):
    number: str
    name: str
    kostra_group: str | None
    county: str | None
    indicators: list[MunicipalityIndicatorOut]
    # Domains with no real figures at all: said plainly, never filled in.
    domains_without_figures: list[DomainWithoutFiguresOut]


class IndicatorFilter(Schema):
    domain: Domain | None = None


def _aggregates(item: queries.IndicatorFigures, scope: str) -> list[AggregateOut]:
    return [
        AggregateOut(
            code=a.code,
            year=a.year,
            value=a.value,
            method=a.method,
            members=a.members,
            with_value=a.with_value,
            median=a.median,
            q1=a.q1,
            q3=a.q3,
        )
        for _, a in sorted(item.aggregates.get(scope, {}).items())
    ]


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalogue")
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilter]) -> list[IndicatorOut]:
    """Every indicator with its definition (bokmål and nynorsk), unit, polarity and source."""
    return [indicator_out(i) for i in catalogue.indicators() if filters.domain is None or i.domain == filters.domain]


@router.get(
    "/municipalities/{number}/indicators",
    response=MunicipalityIndicatorsOut,
    summary="A municipality's indicator figures with comparisons",
)
def municipality_indicators(
    request: HttpRequest, number: str, filters: Query[IndicatorFilter]
) -> MunicipalityIndicatorsOut:
    """The figures of a current municipality, one series across code changes, beside its KOSTRA group,
    county and country (SSB's own aggregate or a computed one, with the method), the group's median and
    interquartile range, and the direction of travel over three years. No rank or position is given."""
    municipality = Municipality.objects.current().select_related("county", "kostra_group").filter(number=number).first()
    if municipality is None:
        raise Http404("No current municipality with that number")
    stats = queries.municipality_statistics(municipality, domain=filters.domain.value if filters.domain else None)
    items = []
    for domain in stats.domains:
        for item in domain.indicators:
            travel = item.travel
            items.append(
                MunicipalityIndicatorOut(
                    indicator=item.indicator.key,
                    domain=domain.domain.value,
                    unit=item.indicator.unit,
                    decimals=item.indicator.decimals,
                    polarity=item.indicator.polarity.value,
                    figures=[
                        FigureOut(
                            year=f.year,
                            period=f.period,
                            value=f.value,
                            status=f.status or None,
                            revision=f.revision,
                            table=f.table,
                            content_code=f.content_code,
                            region=f.region,
                            code_history=f.stitch,
                            updated=f.updated,
                            fetched_at=f.fetched_at,
                            publisher=f.publisher,
                            computed_from=f.inputs,
                        )
                        for f in item.figures
                    ],
                    kostra_group=_aggregates(item, Aggregate.Scope.KOSTRA_GROUP.value),
                    county=_aggregates(item, Aggregate.Scope.COUNTY.value),
                    country=_aggregates(item, Aggregate.Scope.COUNTRY.value),
                    direction_of_travel=TravelOut(
                        from_year=travel.from_year,
                        to_year=travel.to_year,
                        change=travel.change,
                        direction=travel.direction.value,
                        judgement=travel.judgement.value,
                    )
                    if travel
                    else None,
                    not_carried_over=[
                        UnstitchedOut(region=u.region, code_history=u.stitch, years=list(u.years))
                        for u in item.unstitched
                    ],
                )
            )
    return MunicipalityIndicatorsOut(
        number=municipality.number,
        name=municipality.name,
        kostra_group=municipality.kostra_group.code if municipality.kostra_group else None,
        county=municipality.county.number if municipality.county else None,
        indicators=items,
        domains_without_figures=[
            DomainWithoutFiguresOut(
                domain=d.domain.value,
                indicators=[i.key for i in (*d.without_figures, *d.other_sources)],
            )
            for d in stats.domains
            if not d.indicators
        ],
    )


class DownloadFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON_STAT = "json-stat"


class DownloadQuery(Schema):
    format: DownloadFormat = DownloadFormat.JSON_STAT


MEDIA_TYPES = {
    DownloadFormat.CSV: "text/csv; charset=utf-8",
    DownloadFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DownloadFormat.JSON_STAT: "application/json; charset=utf-8",
}
EXTENSIONS = {DownloadFormat.CSV: "csv", DownloadFormat.XLSX: "xlsx", DownloadFormat.JSON_STAT: "json"}
DOWNLOAD_RESPONSES = {
    "responses": {
        200: {
            "description": "The figures as a file: CSV (UTF-8, a header row, one figure per row with its "
            "provenance), XLSX (the same rows) or JSON-stat 2.0 (region × indicator × year, as SSB writes it)",
            "content": {
                MEDIA_TYPES[DownloadFormat.CSV].split(";")[0]: {"schema": {"type": "string"}},
                MEDIA_TYPES[DownloadFormat.XLSX]: {"schema": {"type": "string", "format": "binary"}},
                MEDIA_TYPES[DownloadFormat.JSON_STAT].split(";")[0]: {"schema": {"type": "object"}},
            },
        },
        404: {"description": "No such indicator with stored figures, or no current municipality with that number"},
    }
}


def download(
    rows: Iterable[downloads.DataRow], *, fmt: DownloadFormat, name: str, label: str, modified: dt.datetime | None
) -> HttpResponse | StreamingHttpResponse:
    """The rows as a file to save: CSV is streamed as it is read, XLSX written to a temporary file and sent
    from it in chunks, JSON-stat (which names every region and year before the first value) built whole."""
    response: HttpResponse | StreamingHttpResponse
    if fmt is DownloadFormat.CSV:
        response = StreamingHttpResponse(download_formats.csv_lines(rows), content_type=MEDIA_TYPES[fmt])
    elif fmt is DownloadFormat.XLSX:
        response = FileResponse(download_formats.xlsx_file(rows, title=label), content_type=MEDIA_TYPES[fmt])
    else:
        body = json.dumps(download_formats.jsonstat(rows, label=label), ensure_ascii=False)
        response = HttpResponse(body, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response


@router.get(
    "/indicators/{key}/data",
    summary="Download an indicator's figures for every municipality",
    openapi_extra=DOWNLOAD_RESPONSES,
)
def indicator_data(request: HttpRequest, key: str, query: Query[DownloadQuery]) -> HttpResponse | StreamingHttpResponse:
    """Every current municipality's figure for every year (the figure its page shows, with its source table,
    content code, the code it was published under, SSB's update time and the fetch time), then every KOSTRA
    group's, county's and the country's figure with how it came about. ``format``: ``csv``, ``xlsx`` or
    ``json-stat``. Licence CC BY 4.0; name SSB (or the publisher given per figure) as the source."""
    indicator = downloads.downloadable(key)
    if indicator is None:
        raise Http404("No indicator with stored figures under that key")
    name = indicator.name.get("nb", indicator.key)
    return download(
        downloads.indicator_rows(indicator),
        fmt=query.format,
        name=f"kommunedialog-{indicator.key}",
        label=f"{name} ({indicator.unit}), etter region og år",
        modified=downloads.indicator_modified(indicator),
    )


@router.get(
    "/municipalities/{number}/data",
    summary="Download a municipality's figures for every indicator",
    openapi_extra=DOWNLOAD_RESPONSES,
)
def municipality_data(
    request: HttpRequest, number: str, query: Query[DownloadQuery]
) -> HttpResponse | StreamingHttpResponse:
    """The figures of ``/municipalities/{number}/indicators`` for every year, each indicator with the
    municipality's KOSTRA group, county and the country beside it, as ``csv``, ``xlsx`` or ``json-stat``."""
    municipality = Municipality.objects.current().select_related("county", "kostra_group").filter(number=number).first()
    if municipality is None:
        raise Http404("No current municipality with that number")
    rows = downloads.municipality_rows(municipality)
    newest = [r.fetched_at for r in rows if r.fetched_at is not None]
    return download(
        rows,
        fmt=query.format,
        name=f"kommunedialog-{municipality.number}",
        label=f"{municipality.name}: indikatorer etter region og år",
        modified=max(newest, default=None),
    )


class WhatIfQuery(Schema):
    municipalities: str = Field(..., description="Two or more neighbouring municipality numbers, comma-separated")


class WhatIfMemberOut(Schema):
    number: str
    name: str
    county: str | None
    kostra_group: str | None


class WhatIfFigureOut(Schema):
    indicator: str
    domain: str
    unit: str
    year: int | None
    value: float | None
    method: str  # sum, ratio, weighted_mean, not_meaningful, insufficient, no_data
    numerator: float | None
    denominator: float | None
    members: dict[str, float | None]  # municipality number -> its figure that year


class WhatIfOut(Schema):
    members: list[WhatIfMemberOut]
    kostra_groups: list[str]
    counties: list[str]
    figures: list[WhatIfFigureOut]


class WhatIfErrorOut(Schema):
    detail: str


@router.get(
    "/what-if",
    url_name="what_if",
    response={200: WhatIfOut, 400: WhatIfErrorOut},
    summary="Municipal-structure what-if: neighbouring municipalities' figures as one",
)
def what_if(request: HttpRequest, query: Query[WhatIfQuery]) -> Status[WhatIfOut | WhatIfErrorOut]:
    """The figures of two or more neighbouring current municipalities as if they were one, beside each
    member's, in the latest year every member has a figure. ``method`` says how each merged figure was
    found: ``sum`` (counts and amounts), ``ratio`` (the members' summed numerators over their summed
    denominators, given as ``numerator`` and ``denominator``), ``weighted_mean`` (a key figure averaged by
    population), ``not_meaningful`` (flags and classes: no merged figure). Members are listed
    alphabetically; nothing is ranked. 400 with ``detail`` if the municipalities are fewer than two,
    unknown, or do not form one area of neighbours (e.g. ``?municipalities=1133,1134``, Hjelmeland and
    Suldal)."""
    try:
        result = whatif.what_if(whatif.parse_numbers(query.municipalities))
    except whatif.WhatIfError as exc:
        return Status(400, WhatIfErrorOut(detail=str(exc)))
    return Status(
        200,
        WhatIfOut(
            members=[
                WhatIfMemberOut(
                    number=m.number,
                    name=m.name_norwegian,
                    county=m.county.number if m.county else None,
                    kostra_group=m.kostra_group.code if m.kostra_group else None,
                )
                for m in result.members
            ],
            kostra_groups=[g.code for g in result.kostra_groups],
            counties=[c.number for c in result.counties],
            figures=[
                WhatIfFigureOut(
                    indicator=r.indicator.key,
                    domain=r.indicator.domain.value,
                    unit=r.indicator.unit,
                    year=r.year,
                    value=r.value,
                    method=r.method,
                    numerator=r.numerator,
                    denominator=r.denominator,
                    members=dict(zip(result.numbers, r.members, strict=True)),
                )
                for r in result.rows
            ],
        ),
    )
