"""Learning from each other: the lessons and results of funded projects, searchable.

Only what the public site already shows is read: final reports the office has published, of awarded
grants it has checked and flagged for publication (``public.awarded()``, the one door into the
application table). The fields are the report's public ones (results, lessons learned) and the grant's
public title, theme, sectors, year and municipalities; the municipality's size band comes from the
register's public population. Sectors are the kommunebilde domains the application ticked: a fixed list
of codes, so they carry no free text and no personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.domains import Domain
from kommunedialog.grants import public
from kommunedialog.grants.models import Report, Theme
from kommunedialog.grants.states import ReportState

# Population bands (inclusive lower bound, exclusive upper bound), by the lead municipality.
SIZE_BANDS: dict[str, tuple[Any, int, int | None]] = {
    "small": (_("Under 5 000 inhabitants"), 0, 5_000),
    "medium": (_("5 000–19 999 inhabitants"), 5_000, 20_000),
    "large": (_("20 000–49 999 inhabitants"), 20_000, 50_000),
    "largest": (_("50 000 inhabitants or more"), 50_000, None),
}


@dataclass(frozen=True)
class Lesson:
    project_id: int
    title: str
    theme_label: str
    domain_labels: tuple[str, ...]
    year: int
    municipality: str
    partners: tuple[str, ...]
    office_name: str
    results: str
    lessons_learned: str
    published_on: dt.date | None


class LessonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the lessons"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    size = forms.ChoiceField(label=_("Size of the municipality"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[str, Any]] = [("", _("All"))]
        fields: dict[str, Any] = dict(self.fields)
        fields["theme"].choices = everything + list(Theme.choices)
        fields["domain"].choices = everything + list(Domain.choices)
        fields["size"].choices = everything + [(k, band[0]) for k, band in SIZE_BANDS.items()]
        fields["year"].choices = everything + [(str(y), str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"


def _published_final_reports() -> QuerySet[Report]:
    return Report.objects.filter(
        kind="final", state=ReportState.PUBLISHED, project__application__in=public.awarded()
    ).exclude(results="", lessons_learned="")


def years() -> list[int]:
    return sorted(
        set(_published_final_reports().values_list("project__application__call__year", flat=True)), reverse=True
    )


def search(*, q: str = "", theme: str = "", domain: str = "", size: str = "", year: int | None = None) -> list[Lesson]:
    """The lessons matching every filter given, newest call year first, then by title."""
    qs = _published_final_reports().select_related(
        "project__application__call__office", "project__application__municipality"
    )
    if q.strip():
        for word in q.split()[:8]:
            qs = qs.filter(
                Q(lessons_learned__icontains=word)
                | Q(results__icontains=word)
                | Q(project__application__title__icontains=word)
                | Q(project__application__summary__icontains=word)
            )
    if theme:
        qs = qs.filter(project__application__theme=theme)
    if year:
        qs = qs.filter(project__application__call__year=year)
    if size in SIZE_BANDS:
        _label, low, high = SIZE_BANDS[size]
        qs = qs.filter(project__application__municipality__population__gte=low)
        if high is not None:
            qs = qs.filter(project__application__municipality__population__lt=high)
    found = []
    for report in qs.prefetch_related("project__application__partners").order_by(
        "-project__application__call__year", "project__application__title", "pk"
    ):
        application = report.project.application
        # Filtered here, not in SQL: SQLite (the demo) has no JSON containment lookup.
        if domain and domain not in application.sectors:
            continue
        found.append(
            Lesson(
                project_id=report.project.pk,
                title=application.title,
                theme_label=str(Theme(application.theme).label) if application.theme in Theme.values else "",
                domain_labels=tuple(application.sector_labels()),
                year=application.call.year,
                municipality=application.municipality.name_norwegian,
                partners=tuple(sorted(p.name_norwegian for p in application.partners.all())),
                office_name=application.call.office.name,
                results=report.results,
                lessons_learned=report.lessons_learned,
                published_on=timezone.localdate(report.published_at) if report.published_at else None,
            )
        )
    return found
