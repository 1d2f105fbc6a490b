"""Statistics as evidence for a kommunebilde: plain JSON-able items with full provenance.

``snapshot_items`` fits ``profiles.snapshot.EVIDENCE_PROVIDERS``; registering it is the kommunebilde
issue's decision. It honours the snapshot's ``data_as_of``: figures fetched later are left out, so a
published picture keeps the data it was consulted on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import queries


def domain_items(municipality: Municipality, domain: str, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    items = []
    stats = queries.municipality_statistics(municipality, domain=domain)
    for section in stats.domains:
        for item in section.indicators:
            figures = [f for f in item.figures if as_of is None or f.fetched_at.date() <= as_of]
            latest = next((f for f in reversed(figures) if f.value is not None), None)
            if latest is None:
                continue
            comparisons = {}
            for scope in ("kostra_group", "county", "country"):
                agg = item.aggregate(scope, latest.year)
                if agg is not None and (as_of is None or agg.computed_at.date() <= as_of):
                    comparisons[scope] = {
                        "code": agg.code,
                        "value": agg.value,
                        "method": agg.method,
                        "median": agg.median,
                        "q1": agg.q1,
                        "q3": agg.q3,
                        "with_value": agg.with_value,
                        "members": agg.members,
                    }
            indicator = item.indicator
            items.append(
                {
                    "kind": "statistic",
                    "indicator": indicator.key,
                    "name": dict(indicator.name),
                    "unit": indicator.unit,
                    "decimals": indicator.decimals,
                    "polarity": indicator.polarity.value,
                    "aggregation": indicator.aggregation.value,
                    "year": latest.year,
                    "value": latest.value,
                    "source": {
                        "publisher": indicator.publisher if latest.is_computed else latest.publisher,
                        "table": latest.table,
                        "table_label": latest.table_label,
                        "computed_from": latest.inputs,
                        "content_code": latest.content_code,
                        "region": latest.region,
                        "period": latest.period,
                        "updated": latest.updated.isoformat() if latest.updated else None,
                        "fetched_at": latest.fetched_at.isoformat(),
                        "revision": latest.revision,
                        "url": indicator.source_url,
                    },
                    "comparisons": comparisons,
                }
            )
    return items


def snapshot_items(assessment: Any, data_as_of: dt.date) -> list[dict[str, Any]]:
    """An evidence provider for the kommunebilde snapshot (profiles.snapshot.EVIDENCE_PROVIDERS)."""
    domain = assessment.cycle_domain.domain
    if not domain:
        return []
    return domain_items(assessment.profile.municipality, domain, as_of=data_as_of)
