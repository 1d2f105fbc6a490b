"""What the public sees of Prosjektskjønn: calls once published (never drafts), awarded grants whose title
and summary the office has checked and flagged, their published reports and their flagged attachments.
Nothing else.

The functions return plain records copied from the public fields only, so a public template or the
open data API cannot reach a private field (contact person, budget lines, assessments) by accident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone, translation

from kommunedialog.core.models import StoredFile
from kommunedialog.core.uploads import KINDS
from kommunedialog.grants.models import Application, Attachment, Call, Criterion, Report, Theme, in_language
from kommunedialog.grants.states import ApplicationState, CallState, ProjectState, ReportState
from kommunedialog.registry.models import County, Municipality, Office


@dataclass(frozen=True)
class Place:
    number: str
    name: str


@dataclass(frozen=True)
class PublicReport:
    kind: str
    kind_label: str
    what_was_done: str
    results: str
    money_spent: int | None
    lessons_learned: str
    published_on: dt.date | None


@dataclass(frozen=True)
class PublicAttachment:
    id: int
    title: str
    kind_label: str
    size: int


@dataclass(frozen=True)
class PublicGrant:
    application_id: int
    project_id: int
    title: str
    summary: str
    theme: str
    amount_awarded: int
    amount_applied: int
    award_date: dt.date
    year: int
    call_id: int
    call_title_nb: str
    call_title_nn: str
    office_code: str
    office_name: str
    office_organisation_number: str
    county_number: str
    county_name: str
    lead: Place
    partners: tuple[Place, ...]
    period_start: dt.date
    period_end: dt.date
    project_state: str
    organisation_number: str
    reports: tuple[PublicReport, ...] = field(default=())
    attachments: tuple[PublicAttachment, ...] = field(default=())

    @property
    def theme_label(self) -> str:
        return str(Theme(self.theme).label) if self.theme in Theme.values else ""

    @property
    def call_title(self) -> str:
        return in_language(self.call_title_nb, self.call_title_nn)

    @property
    def project_state_label(self) -> str:
        return str(ProjectState(self.project_state).label)

    @property
    def municipalities(self) -> tuple[Place, ...]:
        return (self.lead, *self.partners)


@dataclass(frozen=True)
class GrantFilter:
    office: str = ""
    county: str = ""
    municipality: str = ""
    year: int | None = None
    theme: str = ""


@dataclass(frozen=True)
class Totals:
    count: int
    amount: int


def awarded() -> QuerySet[Application]:
    """The only door from the public site into the application table."""
    return Application.objects.filter(state=ApplicationState.APPROVED, publish=True, project__isnull=False)


def _filtered(filters: GrantFilter) -> QuerySet[Application]:
    qs = awarded()
    if filters.office:
        qs = qs.filter(call__office__code=filters.office)
    if filters.county:
        qs = qs.filter(municipality__county__number=filters.county)
    if filters.municipality:
        qs = qs.filter(Q(municipality__number=filters.municipality) | Q(partners__number=filters.municipality))
    if filters.year:
        qs = qs.filter(call__year=filters.year)
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    return qs.distinct()


def _records(qs: QuerySet[Application], *, with_content: bool = False) -> list[PublicGrant]:
    qs = qs.select_related("call__office", "municipality__county", "decision", "project").prefetch_related(
        Prefetch("partners", queryset=Municipality.objects.order_by("name_norwegian"))
    )
    if with_content:
        qs = qs.prefetch_related(
            Prefetch(
                "project__reports",
                queryset=Report.objects.filter(state=ReportState.PUBLISHED).order_by("due_on", "pk"),
                to_attr="public_reports",
            ),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(publish=True).select_related("file"),
                to_attr="public_attachments",
            ),
        )
    records = []
    for a in qs.order_by("-call__year", "-decision__decided_at", "pk"):
        county = a.municipality.county
        records.append(
            PublicGrant(
                application_id=a.pk,
                project_id=a.project.pk,
                title=a.title,
                summary=a.summary,
                theme=a.theme,
                amount_awarded=a.project.amount_awarded,
                amount_applied=a.amount_applied,
                award_date=timezone.localdate(a.decision.decided_at),
                year=a.call.year,
                call_id=a.call_id,
                call_title_nb=a.call.title_nb,
                call_title_nn=a.call.title_nn,
                office_code=a.call.office.code,
                office_name=a.call.office.name,
                office_organisation_number=a.call.office.organisation_number,
                county_number=county.number if county else "",
                county_name=county.name if county else "",
                lead=Place(a.municipality.number, a.municipality.name),
                partners=tuple(Place(p.number, p.name) for p in a.partners.all()),
                period_start=a.project.period_start,
                period_end=a.project.period_end,
                project_state=a.project.state,
                organisation_number=a.organisation_number,
                reports=tuple(_report(r) for r in getattr(a.project, "public_reports", [])),
                attachments=tuple(_attachment(x) for x in getattr(a, "public_attachments", [])),
            )
        )
    return records


def _report(report: Report) -> PublicReport:
    return PublicReport(
        kind=report.kind,
        kind_label=str(report.get_kind_display()),
        what_was_done=report.what_was_done,
        results=report.results,
        money_spent=report.money_spent,
        lessons_learned=report.lessons_learned,
        published_on=timezone.localdate(report.published_at) if report.published_at else None,
    )


def _attachment(attachment: Attachment) -> PublicAttachment:
    kind = KINDS.get(attachment.file.kind)
    return PublicAttachment(
        id=attachment.pk, title=attachment.title, kind_label=kind.label if kind else "", size=attachment.file.size
    )


def grants(filters: GrantFilter | None = None) -> list[PublicGrant]:
    return _records(_filtered(filters or GrantFilter()))


def totals(filters: GrantFilter | None = None) -> Totals:
    ids = _filtered(filters or GrantFilter()).values("pk")
    found = awarded().filter(pk__in=ids).aggregate(amount=Sum("project__amount_awarded"))
    return Totals(count=ids.count(), amount=found["amount"] or 0)


def project(project_id: int) -> PublicGrant | None:
    found = _records(awarded().filter(project__pk=project_id), with_content=True)
    return found[0] if found else None


def attachment_file(project_id: int, attachment_id: int) -> StoredFile | None:
    """A flagged attachment of a public grant; None for anything else."""
    found = (
        Attachment.objects.filter(
            pk=attachment_id, publish=True, application__in=awarded().filter(project__pk=project_id)
        )
        .select_related("file")
        .first()
    )
    return found.file if found else None


def awarded_for_municipality(municipality: Municipality) -> list[PublicGrant]:
    """The public grants where ``municipality`` is the lead or a partner, newest first."""
    return _records(awarded().filter(Q(municipality=municipality) | Q(partners=municipality)).distinct())


def filter_choices() -> dict[str, Any]:
    """Only values that occur among public grants, so a filter never leads to an empty page by design."""
    public = awarded()
    return {
        "offices": list(Office.objects.filter(grant_calls__applications__in=public).distinct().order_by("name")),
        "counties": list(
            County.objects.filter(municipalities__grant_applications__in=public).distinct().order_by("number")
        ),
        "municipalities": list(
            Municipality.objects.filter(Q(grant_applications__in=public) | Q(grant_partnerships__in=public))
            .distinct()
            .order_by("name_norwegian")
        ),
        "years": sorted(set(public.values_list("call__year", flat=True)), reverse=True),
        "themes": [(t.value, t.label) for t in Theme if public.filter(theme=t.value).exists()],
    }


# Calls: public from the moment they are published; a draft is not there at all.

PUBLIC_CALL_STATES = frozenset({CallState.PUBLISHED, CallState.CLOSED, CallState.ALLOCATED, CallState.ARCHIVED})


@dataclass(frozen=True)
class PublicCriterion:
    name_nb: str
    name_nn: str
    weight: int

    @property
    def name(self) -> str:
        return in_language(self.name_nb, self.name_nn)


@dataclass(frozen=True)
class PublicCall:
    id: int
    year: int
    office_name: str
    title_nb: str
    title_nn: str
    description_nb: str
    description_nn: str
    frame: int
    deadline: dt.date
    min_own_share_percent: int
    min_amount: int
    themes: tuple[str, ...]
    criteria: tuple[PublicCriterion, ...]
    state: str
    is_open: bool

    @property
    def title(self) -> str:
        return in_language(self.title_nb, self.title_nn)

    @property
    def description(self) -> str:
        return in_language(self.description_nb, self.description_nn)

    @property
    def language(self) -> str:
        """The language of the call's texts as shown (for ``lang``): the page around them may be English."""
        return "nn" if translation.get_language() == "nn" and self.title_nn else "nb"

    @property
    def theme_labels(self) -> list[str]:
        return [str(Theme(t).label) for t in self.themes if t in Theme.values]

    @property
    def state_label(self) -> str:
        if self.state == CallState.PUBLISHED and not self.is_open:
            # The deadline has passed but the nightly task has not closed the call yet.
            return str(CallState.CLOSED.label)
        return str(CallState(self.state).label)


def published_calls() -> QuerySet[Call]:
    """The only door from the public site into the call table."""
    return Call.objects.filter(state__in=PUBLIC_CALL_STATES)


def _call_record(call: Call) -> PublicCall:
    return PublicCall(
        id=call.pk,
        year=call.year,
        office_name=call.office.name,
        title_nb=call.title_nb,
        title_nn=call.title_nn,
        description_nb=call.description_nb,
        description_nn=call.description_nn,
        frame=call.frame,
        deadline=call.deadline,
        min_own_share_percent=call.min_own_share_percent,
        min_amount=call.min_amount,
        themes=tuple(call.themes),
        criteria=tuple(PublicCriterion(c.name_nb, c.name_nn, c.weight) for c in call.criteria.all()),
        state=call.state,
        is_open=call.is_open,
    )


def _call_records(qs: QuerySet[Call]) -> list[PublicCall]:
    criteria = Prefetch("criteria", queryset=Criterion.objects.order_by("position"))
    return [_call_record(c) for c in qs.select_related("office").prefetch_related(criteria)]


def calls() -> tuple[list[PublicCall], list[PublicCall]]:
    """The calls open for applications now (nearest deadline first) and the earlier ones (newest first)."""
    found = _call_records(published_calls().order_by("-year", "-deadline", "office__name", "pk"))
    open_now = sorted((c for c in found if c.is_open), key=lambda c: (c.deadline, c.office_name, c.id))
    return open_now, [c for c in found if not c.is_open]


def call(call_id: int) -> PublicCall | None:
    found = _call_records(published_calls().filter(pk=call_id))
    return found[0] if found else None
