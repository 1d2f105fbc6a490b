from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.core.domains import Domain
from kommunedialog.core.uploads import UploadRejected, detect_kind
from kommunedialog.oversight import access, evidence, overview, services
from kommunedialog.oversight.forms import ImportForm, OverviewFilterForm, SupervisionCloseForm
from kommunedialog.oversight.importers import COLUMNS, ImportKind, template_rows
from kommunedialog.oversight.tabular import ImportRejected, csv_bytes, read_table, xlsx_bytes
from kommunedialog.registry.models import Office

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
@login_required
def overview_start(request: HttpRequest) -> HttpResponse:
    """Where /intern/oversikt/ leads: the user's own office, or a choice when they work in several."""
    offices = list(Office.objects.filter(pk__in=account_access.offices_for(request.user)))
    if not offices:
        raise Http404("No office")
    if len(offices) == 1:
        return redirect("oversight:overview", office=offices[0].code)
    return render(request, "oversight/overview_start.html", {"offices": offices})


@require_safe
@login_required
def overview_page(request: HttpRequest, office: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    municipalities = overview.office_municipalities(the_office)
    form = OverviewFilterForm(request.GET or None, municipalities=municipalities)
    result = overview.build(the_office, form.filters())
    context = {"office": the_office, "form": form, "overview": result, "query": request.GET.urlencode()}
    template = "oversight/_overview_results.html" if request.htmx else "oversight/overview.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_safe
@login_required
def overview_export(request: HttpRequest, office: str, fmt: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    if fmt not in FORMATS:
        raise Http404("No such format")
    form = OverviewFilterForm(request.GET or None, municipalities=overview.office_municipalities(the_office))
    result = overview.build(the_office, form.filters())
    return _download(overview.export(result, fmt), fmt, f"oversikt-{the_office.code}-{result.on:%Y-%m-%d}")


@require_safe
@login_required
def municipality_evidence(request: HttpRequest, office: str, number: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    municipality = access.municipality_for_oversight(request.user, the_office, number)
    found = evidence.for_municipality(municipality)
    return render(
        request,
        "oversight/municipality.html",
        {
            "office": the_office,
            "m": municipality,
            "domains": [found[d] for d in Domain],
        },
    )


@require_POST
@login_required
def supervision_close(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    supervision = access.supervision_for_oversight(request.user, the_office, pk)
    form = SupervisionCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid closing date."))
    else:
        try:
            services.supervision_close(
                actor=request.user, supervision=supervision, closed_on=form.cleaned_data["closed_on"]
            )
        except services.OversightError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The supervision “%(topic)s” is closed.") % {"topic": supervision.topic})
    return redirect("oversight:municipality", office=the_office.code, number=supervision.municipality.number)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_upload(request: HttpRequest, office: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            kind = detect_kind(upload, allowed=["csv", "xlsx"])
            table = read_table(upload.file, kind=kind.key)
            result = services.oversight_import(
                actor=request.user, office=the_office, kind=form.cleaned_data["kind"], table=table
            )
        except UploadRejected as exc:
            form.add_error("file", exc)
        except ImportRejected as exc:
            errors = exc.errors
    status = 422 if errors else 200
    context = {
        "office": the_office,
        "form": form,
        "errors": errors,
        "result": result,
        "kinds": [(k, COLUMNS[k]) for k in ImportKind],
    }
    return render(request, "oversight/import.html", context, status=status)


@require_safe
@login_required
def import_template(request: HttpRequest, office: str, kind: str, fmt: str) -> HttpResponse:
    access.office_for_oversight(request.user, office)
    if kind not in ImportKind.values or fmt not in FORMATS:
        raise Http404("No such template")
    headers, guide = template_rows(kind)
    if fmt == "csv":
        content = csv_bytes(headers, [])
    else:
        guide_headers = [_("Column"), _("Required"), _("What to write"), _("Example")]
        content = xlsx_bytes([(str(ImportKind(kind).label), headers, []), (_("Guide"), guide_headers, guide)])
    return _download(content, fmt, f"mal-{kind}")
