"""Template helpers for figures: numbers in the reader's locale, and words for SSB's status symbols."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from kommunedialog.statistics.charts import format_value
from kommunedialog.statistics.comparison import Direction, Judgement
from kommunedialog.statistics.models import Aggregate, Revision
from kommunedialog.statistics.queries import Figure
from kommunedialog.statistics.units import unit_text

register = template.Library()


@register.filter
def status_text(symbol: str) -> str:
    return {
        ".": _("not applicable"),
        "..": _("missing"),
        ":": _("suppressed (confidential)"),
    }.get(symbol, symbol)


@register.simple_tag
def number(value: float | None, decimals: int) -> str:
    return format_value(value, decimals)


@register.simple_tag
def cell_text(cell: Figure | Aggregate | None, decimals: int) -> str:
    """A data-table cell: the number, or in words why there is none (a missing value is not zero)."""
    if cell is None:
        return _("no figure")
    if cell.value is not None:
        return format_value(cell.value, decimals)
    if isinstance(cell, Figure):
        return status_text(cell.status) if cell.status else _("missing")
    return str(Aggregate.Method(cell.method).label)


@register.filter
def revision_text(revision: str) -> str:
    return str(Revision(revision).label) if revision in Revision.values else revision


@register.filter
def method_text(method: str) -> str:
    return str(Aggregate.Method(method).label) if method in Aggregate.Method.values else method


@register.filter
def travel_text(judgement: str) -> str:
    return {
        Judgement.IMPROVING: _("improving"),
        Judgement.WORSENING: _("worsening"),
        Judgement.STABLE: _("about the same"),
        Judgement.NO_JUDGEMENT: _("changing; neither better nor worse in itself"),
        Judgement.UNKNOWN: _("not enough years to say"),
    }.get(Judgement(judgement), "")


@register.filter
def direction_text(direction: str) -> str:
    return {
        Direction.UP: _("up"),
        Direction.DOWN: _("down"),
        Direction.FLAT: _("flat"),
        Direction.UNKNOWN: _("unknown"),
    }.get(Direction(direction), "")


@register.filter
def polarity_text(polarity: str) -> str:
    return {
        "higher_better": _("Higher is better."),
        "lower_better": _("Lower is better."),
        "neutral": _("Neither higher nor lower is better in itself."),
        "context": _("Describes the municipality; not a judgement of its services."),
    }.get(polarity, "")


@register.simple_tag
def computed_text(figure: Figure, decimals: int) -> str:
    """How a computed figure came about, from the source values stored with it."""
    inputs = figure.inputs
    top = inputs.get("numerator") or []
    bottom = inputs.get("denominator") or []
    if not top or not bottom:
        return ""

    def terms(items: list[dict[str, object]]) -> str:
        return " + ".join(
            f"{format_value(float(str(i['value'])), 0 if float(str(i['value'])).is_integer() else 2)} "
            f"({str(i['series']).split('/')[0]} {str(i['series']).split('/')[1]}, {i['period']})"
            for i in items
        )

    scale = inputs.get("scale", 1)
    factor = "" if scale in (1, 1.0) else f" × {format_value(float(str(scale)), 0)}"
    return f"({terms(top)}) ÷ ({terms(bottom)}){factor} = {format_value(figure.value, decimals)}"


@register.filter(name="unit_text")
def unit_text_filter(unit: str) -> str:
    return unit_text(unit)
