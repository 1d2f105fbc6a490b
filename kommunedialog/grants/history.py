"""Earlier years' grants, imported from a CSV the office keeps (format in docs/grants.md, "Grant
history"), so that the public site and the 360Giving file cover several years.

Each row becomes an archived call (one per office, year and call title, its frame the sum awarded), an
approved and published application, its decision and a closed project: the same records a grant made in
Kommunedialog leaves, so every public view reads them the same way. The whole file is checked first and
written in one transaction, or not at all; a row already imported (same call, lead municipality and
title) is skipped, so the file can be imported again. Each created grant is audited as the system's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.audit import AuditAction
from kommunedialog.grants.models import Application, Call, Decision, Outcome, Project, Theme
from kommunedialog.grants.states import ApplicationState, CallState, ProjectState
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.registry.organisation_number import is_valid

COLUMNS = (
    "office",
    "year",
    "call_title",
    "municipality",
    "partners",
    "title",
    "summary",
    "theme",
    "amount_applied",
    "amount_awarded",
    "decided_on",
    "period_start",
    "period_end",
    "organisation_number",
)
IMPORTED_REASONS = "Importert frå tidlegare års saker. / Importert fra tidligere års saker."


class HistoryError(ValueError):
    """The file cannot be imported; ``problems`` lists each line's fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    office: Office
    year: int
    call_title: str
    municipality: Municipality
    partners: tuple[Municipality, ...]
    title: str
    summary: str
    theme: str
    amount_applied: int
    amount_awarded: int
    decided_on: dt.date
    period_start: dt.date
    period_end: dt.date
    organisation_number: str


def _municipality(number: str, on: dt.date) -> Municipality:
    found = Municipality.objects.valid_on(on).filter(number=number).first()
    if found is None:
        raise ValueError(f"no municipality {number!r} on {on}")
    return found


def _row(line: int, raw: dict[str, str], offices: dict[str, Office]) -> Row:
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    if value["office"] not in offices:
        raise ValueError(f"unknown office {value['office']!r}")
    decided_on = dt.date.fromisoformat(value["decided_on"])
    start, end = dt.date.fromisoformat(value["period_start"]), dt.date.fromisoformat(value["period_end"])
    applied, awarded = int(value["amount_applied"]), int(value["amount_awarded"])
    if not 0 < awarded <= applied:
        raise ValueError("the amount awarded must be more than zero and at most the amount applied for")
    if end < start:
        raise ValueError("the project cannot end before it starts")
    if value["theme"] not in Theme.values:
        raise ValueError(f"unknown theme {value['theme']!r}")
    if not (value["title"] and value["call_title"]):
        raise ValueError("title and call_title are needed")
    if value["organisation_number"] and not is_valid(value["organisation_number"]):
        raise ValueError(f"invalid organisation number {value['organisation_number']!r}")
    if decided_on > timezone.localdate():
        raise ValueError("the decision date is in the future")
    partners = tuple(_municipality(n.strip(), decided_on) for n in value["partners"].split(";") if n.strip())
    return Row(
        line=line,
        office=offices[value["office"]],
        year=int(value["year"]),
        call_title=value["call_title"],
        municipality=_municipality(value["municipality"], decided_on),
        partners=partners,
        title=value["title"],
        summary=value["summary"],
        theme=value["theme"],
        amount_applied=applied,
        amount_awarded=awarded,
        decided_on=decided_on,
        period_start=start,
        period_end=end,
        organisation_number=value["organisation_number"],
    )


def read(text: str) -> list[Row]:
    """Every row checked; raises HistoryError naming each faulty line (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise HistoryError([f"line 1: missing columns {', '.join(missing)}"])
    offices = {o.code: o for o in Office.objects.all()}
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        try:
            rows.append(_row(line, raw, offices))
        except ValueError as error:
            problems.append(f"line {line}: {error}")
    if problems:
        raise HistoryError(problems)
    return rows


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _call(office: Office, year: int, title: str, rows: list[Row]) -> Call:
    call = Call.objects.filter(office=office, year=year, title_nb=title).first()
    if call is None:
        first = min(r.decided_on for r in rows)
        call = Call.objects.create(
            office=office,
            year=year,
            title_nb=title,
            title_nn=title,
            description_nb="Importert fra tidligere års saker.",
            description_nn="Importert frå tidlegare års saker.",
            frame=0,
            deadline=first,
            themes=sorted({r.theme for r in rows}),
            state=CallState.ARCHIVED,
            published_at=_aware(first),
            closed_at=_aware(first),
        )
    return call


def _grant(call: Call, row: Row) -> Application:
    application = Application.objects.create(
        call=call,
        municipality=row.municipality,
        state=ApplicationState.APPROVED,
        organisation_number=row.organisation_number,
        title=row.title,
        summary=row.summary,
        theme=row.theme,
        amount_applied=row.amount_applied,
        period_start=row.period_start,
        period_end=row.period_end,
        publish=True,
        submitted_at=_aware(row.decided_on),
    )
    application.partners.set(row.partners)
    Decision.objects.create(
        application=application,
        outcome=Outcome.APPROVED,
        amount=row.amount_awarded,
        reasons=IMPORTED_REASONS,
        decided_at=_aware(row.decided_on),
        language=row.municipality.written_language,
    )
    Project.objects.create(
        application=application,
        state=ProjectState.CLOSED,
        amount_awarded=row.amount_awarded,
        period_start=row.period_start,
        period_end=row.period_end,
        closed_at=_aware(row.period_end),
    )
    return application


def import_history(text: str) -> dict[str, int]:
    """Import the CSV ``text``; returns how many grants were created and skipped. Raises HistoryError."""
    rows = read(text)
    groups: dict[tuple[int, int, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.office.pk, row.year, row.call_title), []).append(row)
    created = skipped = 0
    with transaction.atomic():
        for group in groups.values():
            call = _call(group[0].office, group[0].year, group[0].call_title, group)
            call = Call.objects.select_for_update().get(pk=call.pk)
            for row in group:
                if Application.objects.filter(call=call, municipality=row.municipality, title=row.title).exists():
                    skipped += 1
                    continue
                call.frame += row.amount_awarded
                call.approved_total += row.amount_awarded
                call.save(update_fields=["frame", "approved_total"])
                application = _grant(call, row)
                after: dict[str, Any] = {
                    "line": row.line,
                    "amount_awarded": row.amount_awarded,
                    "decided_on": row.decided_on,
                    "call": call.pk,
                }
                audit.record(actor=SYSTEM, obj=application, action=AuditAction.GRANT_HISTORY_IMPORT, after=after)
                created += 1
    return {"created": created, "skipped": skipped}
