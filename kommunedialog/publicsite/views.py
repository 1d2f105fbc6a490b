from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kommunedialog.api import catalog
from kommunedialog.core import pagecache
from kommunedialog.core.tasks import enqueue_unless_pending, preparing_response
from kommunedialog.grants import public as public_grants
from kommunedialog.profiles import pdf as profile_pdf
from kommunedialog.profiles import public as public_profiles
from kommunedialog.profiles import tasks as profile_tasks
from kommunedialog.profiles.models import PublishedProfile
from kommunedialog.publicsite import maps, queries
from kommunedialog.registry import codes
from kommunedialog.statistics import queries as statistics_queries

# Where the stored body goes in the layout; a comment, so it can never be mistaken for content.
_BODY = "<!-- page body -->"


def _page(request: HttpRequest, template: str, page: tuple[str, bytes] | None) -> HttpResponse:
    """A public page: its body (rendered and encoded once per content and code version, core.pagecache)
    inside the layout, which is rendered for each request. The body is stored as UTF-8 and spliced into
    the encoded layout, so a request encodes only the layout, not some hundred kilobytes of page."""
    if page is None:
        raise Http404("Nothing to show")
    title, body = page
    response = render(request, template, {"title": title, "body": mark_safe(_BODY)})  # noqa: S308 - a constant
    head, found, tail = response.content.partition(_BODY.encode())
    if not found:
        raise RuntimeError(f"{template} does not show the page body")
    response.content = b"".join((head, body, tail))
    return response


def _front_page() -> tuple[str, bytes]:
    body = pagecache.compact(
        render_to_string("publicsite/_front_body.html", {"offices": queries.offices_with_municipalities()})
    )
    return _("Municipalities and County Governors"), body.encode()


def _municipality_page(number: str) -> tuple[str, bytes] | None:
    facts = queries.municipality_facts(number)
    if facts is None:
        return None
    statistics = statistics_queries.municipality_statistics(facts.municipality)
    context = {
        "facts": facts,
        "m": facts.municipality,
        "kommunebilde": public_profiles.for_municipality(facts.municipality),
        "statistics": statistics,
        "population": queries.population_fact(facts.municipality, statistics),
        "map": maps.office_list(facts.municipality),
        "grants": public_grants.awarded_for_municipality(facts.municipality),
    }
    body = pagecache.compact(render_to_string("publicsite/_municipality_body.html", context))
    return facts.municipality.name, body.encode()


@require_safe
def front_show(request: HttpRequest) -> HttpResponse:
    return _page(request, "publicsite/front.html", pagecache.rendered("front", render=_front_page))


@require_safe
def municipality_show(request: HttpRequest, number: str) -> HttpResponse:
    page = pagecache.rendered("municipality", number, render=lambda: _municipality_page(number))
    if page is not None:
        return _page(request, "publicsite/municipality.html", page)
    # A former code: send the reader on to where it went.
    try:
        successors = codes.current_codes(number)
    except codes.UnknownCode:
        raise Http404("No such municipality") from None
    if len(successors) == 1:
        return redirect("publicsite:municipality_show", number=successors[0].number, permanent=True)
    changes = codes.successors_of(number)
    return render(
        request,
        "publicsite/former_code.html",
        {
            "number": number,
            "name": changes[0].old_name if changes else number,
            "successors": successors,
            "changes": changes,
        },
    )


@require_safe
def office_map_draw(request: HttpRequest, number: str) -> HttpResponse:
    """The office map as an image: the municipality's page shows it beside the same facts in words."""
    municipality = queries.current_municipality(number)
    office_map = maps.office_map(municipality) if municipality is not None else None
    if office_map is None:
        raise Http404("No map for this municipality")
    response = render(request, "publicsite/office_map.svg", {"map": office_map, "m": municipality})
    response["Content-Type"] = "image/svg+xml; charset=utf-8"
    return response


@require_safe
def kommunebilde_show(request: HttpRequest, number: str, snapshot_id: int) -> HttpResponse:
    """One published kommunebilde, current or archived, exactly as it was published."""
    municipality = queries.current_municipality(number)
    snap = public_profiles.snapshot_for(municipality, snapshot_id) if municipality else None
    if snap is None:
        raise Http404("No such kommunebilde")
    return render(
        request,
        "publicsite/kommunebilde.html",
        {"m": municipality, "snap": snap, "successor": public_profiles.successor(snap)},
    )


@require_safe
def kommunebilde_download(request: HttpRequest, number: str) -> HttpResponseBase:
    """The current published kommunebilde as PDF, in the municipality's målform, from the cache."""
    municipality = queries.current_municipality(number)
    current = public_profiles.for_municipality(municipality).current if municipality else []
    if not current:
        raise Http404("No published kommunebilde")
    return _snapshot_pdf(request, number, current[0])


@require_safe
def kommunebilde_snapshot_download(request: HttpRequest, number: str, snapshot_id: int) -> HttpResponseBase:
    """One published kommunebilde as PDF, current or archived: an archived one keeps its own PDF."""
    municipality = queries.current_municipality(number)
    snap = public_profiles.snapshot_for(municipality, snapshot_id) if municipality else None
    if snap is None:
        raise Http404("No such kommunebilde")
    return _snapshot_pdf(request, number, snap)


def _snapshot_pdf(request: HttpRequest, number: str, snap: PublishedProfile) -> HttpResponseBase:
    language = profile_pdf.language_for(snap)
    path = profile_pdf.cache_path(snap, language)
    if not path.exists():
        # Rendering takes seconds: the worker does it (publishing queued it already; this asks again).
        enqueue_unless_pending(profile_tasks.render_snapshot_pdf, snapshot_id=snap.pk, language=language)
    if not path.exists():  # as it will not be yet, unless tasks run where they are enqueued
        return preparing_response(
            request,
            title=_("Kommunebilde for %(municipality)s as PDF") % {"municipality": snap.municipality.name_norwegian},
            back_url=reverse("publicsite:municipality_show", args=[number]),
            back_label=snap.municipality.name_norwegian,
        )
    filename = f"kommunebilde-{number}-{snap.content['cycle']['year']}.pdf"
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=filename)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    result = queries.search(request.GET.get("q", ""))
    template = "publicsite/_search_results.html" if request.htmx else "publicsite/search.html"  # type: ignore[attr-defined]
    return render(request, template, {"result": result})


@require_safe
def accessibility_show(request: HttpRequest) -> HttpResponse:
    return render(request, "publicsite/accessibility.html")


@require_safe
def open_data_show(request: HttpRequest) -> HttpResponse:
    """The open datasets in plain words: the same definitions the DCAT-AP-NO catalogue is built from."""
    found = catalog.datasets_now()
    return render(
        request,
        "publicsite/open_data.html",
        {"datasets": found, "contact_email": catalog.contact_email(), "licence": catalog.CC_BY_4_0},
    )
