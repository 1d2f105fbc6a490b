"""Supervision planning at /intern/tilsynsplan/<office>/: the office's staff see the municipalities
whose rating or signals point to risk, per domain and alphabetically, and choose next year's
supervisions with a reason. Staff and coordinators of that office only (404 to everyone else)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kommunedialog.core.actors import person
from kommunedialog.core.domains import Domain
from kommunedialog.core.forms import StyledForm, text_area
from kommunedialog.core.submission import press, submit
from kommunedialog.core.tasks import enqueue_unless_pending, preparing_response
from kommunedialog.oversight import access, planning
from kommunedialog.oversight.models import PlannedSupervision
from kommunedialog.oversight.tabular import download_response
from kommunedialog.profiles import plan_pdf, supervision_plan, tasks
from kommunedialog.profiles.overview import office_municipalities
from kommunedialog.registry.models import Office


class PlanForm(StyledForm):
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"))
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), choices=Domain.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=text_area(3),
        help_text=gettext_lazy(
            "Why this supervision, in a sentence or two (the rating, the signals, earlier findings)."
        ),
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities = {m.number: m for m in office_municipalities(office)}
        ordered = sorted(self.municipalities.values(), key=lambda m: (m.name_norwegian, m.number))
        self.fields["municipality"].choices = [(m.number, m.name) for m in ordered]  # type: ignore[attr-defined]


def _page(request: HttpRequest, office: Office, form: PlanForm, *, status: int = 200) -> HttpResponse:
    plan = supervision_plan.build(office)
    return render(
        request, "profiles/supervision_plan.html", {"office": office, "plan": plan, "form": form}, status=status
    )


@require_safe
@login_required
def supervision_plan_show(request: HttpRequest, office: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    initial = {"municipality": request.GET.get("kommune", ""), "domain": request.GET.get("fagomrade", "")}
    return _page(request, the_office, PlanForm(initial=initial, office=the_office))


@require_POST
@login_required
def supervision_plan_add(request: HttpRequest, office: str) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    form = PlanForm(request.POST, office=the_office)
    outcome = submit(
        form,
        lambda: planning.planned_supervision_add(
            office=the_office,
            municipality=form.municipalities[form.cleaned_data["municipality"]],
            domain=form.cleaned_data["domain"],
            year=supervision_plan.next_year(),
            reason=form.cleaned_data["reason"],
            actor=person(request),
        ),
    )
    if outcome.saved:
        return redirect(reverse("overview:supervision_plan_show", args=[the_office.code]) + "#plan")
    return _page(request, the_office, form, status=outcome.status)


@require_POST
@login_required
def supervision_plan_remove(request: HttpRequest, office: str, planned_id: int) -> HttpResponse:
    the_office = access.office_for_oversight(request.user, office)
    planned = PlannedSupervision.objects.filter(pk=planned_id, office=the_office).first()
    if planned is None:
        # Someone in the office took it off first: what was asked for is done.
        messages.info(request, _("This supervision is no longer in the plan."))
    else:
        press(request, lambda: planning.planned_supervision_remove(planned=planned, actor=person(request)))
    return redirect(reverse("overview:supervision_plan_show", args=[the_office.code]) + "#plan")


@require_safe
@login_required
def supervision_plan_export(request: HttpRequest, office: str, fmt: str) -> HttpResponseBase:
    the_office = access.office_for_oversight(request.user, office)
    year = supervision_plan.next_year()
    filename = f"tilsynsplan-{the_office.code}-{year}"
    if fmt == "csv":
        return download_response(
            supervision_plan.plan_csv(supervision_plan.build(the_office, year=year)), fmt, filename
        )
    if fmt != "pdf":
        raise Http404("No such format")
    language = translation.get_language() or "nb"
    path = plan_pdf.cache_path(plan_pdf.html(the_office, year, language))
    if not path.exists():
        # Rendering takes seconds: the worker does it; the page says so and offers to ask again.
        enqueue_unless_pending(tasks.render_supervision_plan_pdf, office_id=the_office.pk, year=year, language=language)
    if not path.exists():
        return preparing_response(
            request,
            title=_("Supervision plan %(year)s as PDF") % {"year": year},
            back_url=reverse("overview:supervision_plan_show", args=[the_office.code]),
            back_label=_("Supervision planning"),
        )
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=f"{filename}.pdf")
