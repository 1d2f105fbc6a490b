"""The evidence a published kommunebilde carries, and how the public page and the PDF show it.

Providers for ``snapshot.EVIDENCE_PROVIDERS`` are registered here (see ``ProfilesConfig.ready``).
What a snapshot may hold is decided once, at freezing, so nothing internal can reach the public page,
the API or the PDF later (ADR 0006): statistics with their provenance; from oversight the facts of
supervisions carried out (authority, type, dates, counts, status, public report), complaint
statistics, plans, ROBEK and cooperation forms — but no free text staff typed into internal lists
(supervision topics and case references, cooperation names), and no planned supervision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kommunedialog.core.languages import localised
from kommunedialog.oversight import evidence as oversight_evidence
from kommunedialog.profiles import snapshot
from kommunedialog.statistics import charts
from kommunedialog.statistics import evidence as statistics_evidence
from kommunedialog.statistics.charts import format_value

INTERNAL_KEYS = {"supervision": {"topic", "reference"}, "cooperation": {"name", "service_area"}}


def statistics_items(assessment: Any, data_as_of: dt.date) -> list[dict[str, Any]]:
    return statistics_evidence.snapshot_items(assessment, data_as_of)


def oversight_items(assessment: Any, data_as_of: dt.date) -> list[dict[str, Any]]:
    public = []
    for item in oversight_evidence.snapshot_items(assessment, data_as_of):
        if item["kind"] == "supervision" and not item["carried_out_on"]:
            continue  # a planned supervision is announced to the municipality, not to the public
        hidden = INTERNAL_KEYS.get(item["kind"], set())
        public.append({key: value for key, value in item.items() if key not in hidden})
    return public


def register() -> None:
    for provider in (statistics_items, oversight_items):
        if provider not in snapshot.EVIDENCE_PROVIDERS:
            snapshot.EVIDENCE_PROVIDERS.append(provider)


SCOPES = ("kostra_group", "county", "country")


def _scope_label(scope: str, code: str) -> str:
    if scope == "kostra_group":
        return _("KOSTRA group %(code)s") % {"code": code}
    if scope == "county":
        return _("County (%(code)s)") % {"code": code}
    return _("Norway")


def _name(names: dict[str, str]) -> str:
    return localised(names)


def present_statistic(item: dict[str, Any], municipality_name: str) -> dict[str, Any]:
    """A frozen statistic as the page shows it: figures, comparison rows and a chart, all computed
    from the snapshot alone so they never change after publication."""
    decimals = item["decimals"]
    comparisons = []
    for scope in SCOPES:
        found = item["comparisons"].get(scope)
        if not found:
            continue
        label = _scope_label(scope, found["code"])
        comparisons.append(
            {
                "label": _("%(region)s, total") % {"region": label} if found["method"] == "sum" else label,
                "chart_label": label,
                **found,
                **{f"{k}_text": format_value(found[k], decimals) for k in ("value", "median", "q1", "q3")},
            }
        )
    peers = item["comparisons"].get("kostra_group") or {}
    return {
        **item,
        "label": _name(item["name"]),
        "value_text": format_value(item["value"], decimals),
        "rows": comparisons,
        "chart": charts.comparison_chart(
            (municipality_name, item["value"]),
            [(c["chart_label"], c["value"]) for c in comparisons],
            decimals=decimals,
            aggregation=item.get("aggregation", ""),
            quartiles=(peers.get("q1"), peers.get("q3")),
        ),
    }


def present(items: list[dict[str, Any]], municipality_name: str) -> dict[str, list[dict[str, Any]]]:
    """Evidence items grouped by kind for the templates, statistics prepared for charts."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        shown = present_statistic(item, municipality_name) if item["kind"] == "statistic" else item
        grouped.setdefault(item["kind"], []).append(shown)
    return grouped
