"""The ministry's national overview: sums and counts per office, year and theme, and where projects and
reports stand. Aggregates only; no case documents, no ranking of municipalities."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.grants.models import Application, Call, Project, Report, Theme
from kommunedialog.grants.states import ApplicationState, CallState, ProjectState, ReportState


@dataclass(frozen=True)
class OfficeYear:
    office: str
    year: int
    calls: int
    frame: int
    applications: int
    approved: int
    amount_applied: int
    amount_awarded: int


@dataclass(frozen=True)
class ThemeTotal:
    theme: str
    label: str
    applications: int
    approved: int
    amount_awarded: int


@dataclass(frozen=True)
class StatusCount:
    state: str
    label: str
    count: int


def _submitted() -> Any:
    """Applications the municipality actually sent: never drafts, and not those it withdrew (a withdrawal
    keeps ``submitted_at``, so the date alone would count them)."""
    return Application.objects.filter(submitted_at__isnull=False).exclude(state=ApplicationState.WITHDRAWN)


def by_office_and_year() -> list[OfficeYear]:
    calls = {
        (row["office__name"], row["year"]): row
        # A draft call is the office's working copy, not money on offer.
        for row in Call.objects.exclude(state=CallState.DRAFT)
        .values("office__name", "year")
        .annotate(calls=Count("pk"), frame=Sum("frame"))
    }
    applications = {
        (row["call__office__name"], row["call__year"]): row
        for row in _submitted()
        .values("call__office__name", "call__year")
        .annotate(
            applications=Count("pk"),
            approved=Count("pk", filter=Q(state=ApplicationState.APPROVED)),
            amount_applied=Sum("amount_applied"),
            amount_awarded=Sum("project__amount_awarded"),
        )
    }
    rows = []
    for key in sorted(set(calls) | set(applications), key=lambda k: (-k[1], k[0])):
        c: dict[str, Any] = dict(calls.get(key, {}))
        a: dict[str, Any] = dict(applications.get(key, {}))
        rows.append(
            OfficeYear(
                office=key[0],
                year=key[1],
                calls=c.get("calls", 0),
                frame=c.get("frame") or 0,
                applications=a.get("applications", 0),
                approved=a.get("approved", 0),
                amount_applied=a.get("amount_applied") or 0,
                amount_awarded=a.get("amount_awarded") or 0,
            )
        )
    return rows


def by_theme() -> list[ThemeTotal]:
    found = {
        row["theme"]: row
        for row in _submitted()
        .values("theme")
        .annotate(
            applications=Count("pk"),
            approved=Count("pk", filter=Q(state=ApplicationState.APPROVED)),
            amount_awarded=Sum("project__amount_awarded"),
        )
    }
    return [
        ThemeTotal(
            theme=t.value,
            label=str(t.label),
            applications=found[t.value]["applications"],
            approved=found[t.value]["approved"],
            amount_awarded=found[t.value]["amount_awarded"] or 0,
        )
        for t in Theme
        if t.value in found
    ]


def project_status() -> list[StatusCount]:
    counts = dict(Project.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return [StatusCount(s.value, str(s.label), counts.get(s.value, 0)) for s in ProjectState]


def report_status() -> tuple[list[StatusCount], int]:
    """Reports per state, and how many are overdue (not delivered by their due date)."""
    counts = dict(Report.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    overdue = Report.objects.filter(
        state__in=[ReportState.DRAFT, ReportState.RETURNED], due_on__lt=timezone.localdate()
    ).count()
    return [StatusCount(s.value, str(s.label), counts.get(s.value, 0)) for s in ReportState], overdue


def export_csv() -> str:
    """Per office, year and theme: applications, approvals and amounts (whole kroner)."""
    rows = (
        _submitted()
        .values("call__office__name", "call__year", "theme")
        .annotate(
            applications=Count("pk"),
            approved=Count("pk", filter=Q(state=ApplicationState.APPROVED)),
            amount_applied=Sum("amount_applied"),
            amount_awarded=Sum("project__amount_awarded"),
        )
        .order_by("-call__year", "call__office__name", "theme")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Office"),
            _("Year"),
            _("Theme"),
            _("Applications"),
            _("Approved"),
            _("Amount applied for (NOK)"),
            _("Amount awarded (NOK)"),
        ]
    )
    for row in rows:
        theme = str(Theme(row["theme"]).label) if row["theme"] in Theme.values else ""
        writer.writerow(
            [
                row["call__office__name"],
                row["call__year"],
                theme,
                row["applications"],
                row["approved"],
                row["amount_applied"] or 0,
                row["amount_awarded"] or 0,
            ]
        )
    return out.getvalue()
