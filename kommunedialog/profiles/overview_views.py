"""The office's overview for planning supervision and weighing grants: per domain, which municipalities'
records and latest published ratings point to risk. Grouped and filtered, alphabetical, never ranked;
for the office's staff only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.oversight import access
from kommunedialog.oversight.tabular import DOWNLOAD_TYPES, download_response
from kommunedialog.profiles import overview
from kommunedialog.profiles.forms import OverviewFilterForm
from kommunedialog.registry.models import Office


@require_safe
@login_required
def overview_start(request: HttpRequest) -> HttpResponse:
    """Where /intern/oversikt/ leads: the user's own office, or a choice when they work in several."""
    offices = list(Office.objects.filter(pk__in=account_access.offices_for(request.user)))
    if not offices:
        raise Http404("No office")
    if len(offices) == 1:
        return redirect("overview:overview_show", office=offices[0].code)
    return render(request, "overview/overview_start.html", {"offices": offices})


@require_safe
@login_required
def overview_show(request: HttpRequest, office: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    municipalities = overview.office_municipalities(the_office)
    form = OverviewFilterForm(request.GET or None, municipalities=municipalities)
    result = overview.build(the_office, form.filters())
    context = {"office": the_office, "form": form, "overview": result, "query": request.GET.urlencode()}
    template = "overview/_overview_results.html" if request.htmx else "overview/overview.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_safe
@login_required
def overview_export(request: HttpRequest, office: str, fmt: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    if fmt not in DOWNLOAD_TYPES:
        raise Http404("No such format")
    form = OverviewFilterForm(request.GET or None, municipalities=overview.office_municipalities(the_office))
    result = overview.build(the_office, form.filters())
    return download_response(overview.export(result, fmt), fmt, f"oversikt-{the_office.code}-{result.on:%Y-%m-%d}")
