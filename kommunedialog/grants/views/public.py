"""The public transparency site at /prosjektskjonn/: awarded grants across all offices, with filters and
totals, a page per project, and the calls for applications (open and earlier). Reads ``grants.public``
only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kommunedialog.core.uploads import file_response
from kommunedialog.grants import lessons, public
from kommunedialog.grants.forms import PublicFilterForm
from kommunedialog.grants.public import GrantFilter

PAGE_SIZE = 50


def _filters(form: PublicFilterForm) -> GrantFilter:
    """The filters asked for; an unknown value falls back to no filter rather than an error page."""
    if not form.is_valid():
        return GrantFilter()
    data = form.cleaned_data
    return GrantFilter(
        office=data.get("office") or "",
        county=data.get("county") or "",
        municipality=data.get("municipality") or "",
        year=data.get("year"),
        theme=data.get("theme") or "",
    )


@require_safe
def grants_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None, choices=public.filter_choices())
    filters = _filters(form)
    page = Paginator(public.grants(filters), PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"form": form, "page": page, "totals": public.totals(filters), "query": query.urlencode()}
    template = "grants/public/_results.html" if request.htmx else "grants/public/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_safe
def project_show(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = public.project(project_id)
    if grant is None:
        raise Http404("No such project")
    return render(request, "grants/public/project.html", {"grant": grant})


@require_safe
def attachment_download(request: HttpRequest, project_id: int, attachment_id: int) -> HttpResponseBase:
    stored = public.attachment_file(project_id, attachment_id)
    if stored is None:
        raise Http404("No such attachment")
    return file_response(stored)


@require_safe
def calls_list(request: HttpRequest) -> HttpResponse:
    open_now, earlier = public.calls()
    return render(request, "grants/public/calls.html", {"open_calls": open_now, "earlier_calls": earlier})


@require_safe
def call_show(request: HttpRequest, call_id: int) -> HttpResponse:
    found = public.call(call_id)
    if found is None:
        raise Http404("No such call")  # a draft too: not published is not there
    return render(request, "grants/public/call.html", {"call": found})


@require_safe
def lessons_list(request: HttpRequest) -> HttpResponse:
    """The lessons library: published final reports' results and lessons, searchable (a GET form)."""
    form = lessons.LessonFilterForm(request.GET or None, years=lessons.years())
    data = form.cleaned_data if form.is_valid() else {}
    found = lessons.search(
        q=data.get("q") or "",
        theme=data.get("theme") or "",
        domain=data.get("domain") or "",
        size=data.get("size") or "",
        year=data.get("year"),
    )
    return render(request, "grants/public/lessons.html", {"form": form, "lessons": found})
