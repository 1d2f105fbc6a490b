"""Staleness: figures that arrived after a kommunebilde was published and bear on a rating it gave.

A published kommunebilde froze the statistics each assessed domain rests on (the snapshot). When a
later import revises one of those figures, or brings a newer year that lands on the other side of the
threshold the domain's signal rule reads (a fixed level, or the KOSTRA group's middle half), the office
sees it beside the picture: the published value, the new one, and which way it points. The published
snapshot itself never changes; this only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kommunedialog.profiles.models import PublishedProfile, Rating
from kommunedialog.profiles.signal_rules import on_signal_side
from kommunedialog.statistics import comparison, queries
from kommunedialog.statistics.catalogue import Polarity, by_key


@dataclass(frozen=True)
class Alert:
    domain: str  # the chapter title in the published picture
    indicator: str
    label: str
    unit: str
    decimals: int
    published_year: int
    published_value: float
    year: int
    value: float
    revised: bool  # the published year's figure itself changed
    crossed: bool  # the newest figure lies on the other side of the signal's threshold
    direction: comparison.Direction
    judgement: comparison.Judgement

    @property
    def newer(self) -> bool:
        return self.year > self.published_year


def _differs(a: float, b: float, decimals: int) -> bool:
    return round(a, decimals) != round(b, decimals)


def _alert(domain: str, item: dict[str, Any], current: queries.IndicatorFigures) -> Alert | None:
    key, decimals = item["indicator"], item["decimals"]
    published_year, published = int(item["year"]), item["value"]
    if published is None:
        return None
    same_year = current.figure(published_year)
    revised = same_year is not None and same_year.value is not None and _differs(same_year.value, published, decimals)
    latest = current.latest
    if latest is None or latest.value is None or latest.year < published_year:
        return None
    polarity = item.get("polarity", current.indicator.polarity.value)
    peers = item.get("comparisons", {}).get("kostra_group") or {}
    before = on_signal_side(key, polarity, published, peers.get("q1"), peers.get("q3"))
    now_peers = current.aggregate("kostra_group", latest.year)
    after = on_signal_side(
        key,
        polarity,
        latest.value,
        now_peers.q1 if now_peers is not None else None,
        now_peers.q3 if now_peers is not None else None,
    )
    crossed = before is not None and after is not None and before != after
    if not (revised or crossed):
        return None
    change = latest.value - published
    direction = (
        comparison.Direction.FLAT
        if not _differs(latest.value, published, decimals)
        else comparison.Direction.UP
        if change > 0
        else comparison.Direction.DOWN
    )
    return Alert(
        domain=domain,
        indicator=key,
        label=current.indicator.label,
        unit=current.indicator.unit,
        decimals=decimals,
        published_year=published_year,
        published_value=published,
        year=latest.year,
        value=latest.value,
        revised=revised,
        crossed=crossed,
        direction=direction,
        judgement=comparison.judge(direction, Polarity(polarity)),
    )


def alerts(snapshot: PublishedProfile) -> list[Alert]:
    """What has changed under the ratings of a published kommunebilde since it was published."""
    figures = {
        item.indicator.key: item
        for domain in queries.municipality_statistics(snapshot.municipality).domains
        for item in domain.indicators
    }
    found = []
    for domain in snapshot.content.get("domains", []):
        if domain.get("rating") in ("", Rating.NOT_ASSESSED, None):
            continue  # a domain not assessed cites nothing
        for item in domain.get("evidence", []):
            current = figures.get(item.get("indicator", "")) if item.get("kind") == "statistic" else None
            if current is None or item["indicator"] not in by_key():
                continue
            alert = _alert(domain.get("title", ""), item, current)
            if alert is not None:
                found.append(alert)
    return found
