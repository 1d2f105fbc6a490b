from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.core.actors import person
from kommunedialog.core.domains import Domain
from kommunedialog.core.refusal import Refused
from kommunedialog.core.submission import press, show_refusal
from kommunedialog.core.uploads import UploadRejected, detect_kind
from kommunedialog.oversight import access, evidence, services
from kommunedialog.oversight.forms import ImportForm, SupervisionCloseForm
from kommunedialog.oversight.importers import COLUMNS, ImportKind, template_rows
from kommunedialog.oversight.tabular import (
    DOWNLOAD_TYPES,
    ImportRejected,
    csv_bytes,
    download_response,
    read_table,
    xlsx_bytes,
)


@require_safe
@login_required
def evidence_show(request: HttpRequest, office: str, number: str) -> HttpResponse:
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
    elif press(
        request,
        lambda: services.supervision_close(
            actor=person(request), supervision=supervision, closed_on=form.cleaned_data["closed_on"]
        ),
    ):
        messages.success(request, _("The supervision “%(topic)s” is closed.") % {"topic": supervision.topic})
    return redirect("oversight:evidence_show", office=the_office.code, number=supervision.municipality.number)


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
                actor=person(request), office=the_office, kind=form.cleaned_data["kind"], table=table
            )
        except UploadRejected as rejected:
            show_refusal(form, Refused(rejected.reason, field="file"))
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
def import_template_download(request: HttpRequest, office: str, kind: str, fmt: str) -> HttpResponse:
    access.office_for_oversight(request.user, office)
    if kind not in ImportKind.values or fmt not in DOWNLOAD_TYPES:
        raise Http404("No such template")
    headers, guide = template_rows(kind)
    if fmt == "csv":
        content = csv_bytes(headers, [])
    else:
        guide_headers = [_("Column"), _("Required"), _("What to write"), _("Example")]
        content = xlsx_bytes([(str(ImportKind(kind).label), headers, []), (_("Guide"), guide_headers, guide)])
    return download_response(content, fmt, f"mal-{kind}")
