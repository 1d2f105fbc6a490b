"""Showing a frozen snapshot's evidence: labels for the codes it stores, charts from its values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format

from kommunedialog.oversight.models import Authority, LegalForm, PlanType, SupervisionType
from kommunedialog.profiles import evidence
from kommunedialog.statistics.models import Revision

register = template.Library()

_CHOICES: dict[str, Any] = {
    "authority": Authority,
    "supervision_type": SupervisionType,
    "plan_type": PlanType,
    "legal_form": LegalForm,
    "revision": Revision,
}


@register.simple_tag
def evidence_for(
    domain: dict[str, Any], municipality_name: str, uid: str, index: int
) -> dict[str, list[dict[str, Any]]]:
    grouped = evidence.present(domain.get("evidence", []), municipality_name)
    for item in grouped.get("statistic", []):
        item["chart_id"] = f"{uid}-{index}-{item['indicator']}"
    return grouped


@register.filter
def choice_label(code: str | None, kind: str) -> str:
    """The label of a stored code in the reader's language; an unknown code is shown as it is."""
    choices = _CHOICES[kind]
    return str(choices(code).label) if code in choices.values else (code or "")


@register.filter
def iso_date(value: str | None) -> str:
    """A date or timestamp stored as ISO text in the snapshot, shown as a date in the reader's language."""
    if not value:
        return ""
    return date_format(dt.date.fromisoformat(value[:10]))
