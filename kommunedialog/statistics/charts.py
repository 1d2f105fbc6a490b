"""Geometry for the small server-rendered SVG charts on the municipality page.

The chart is a set of labelled horizontal bars (the municipality, its KOSTRA group, county and
country) with the KOSTRA group's interquartile range as a band. Every bar carries its label and value
as text, so nothing depends on colour, and the template draws it without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kommunedialog.core.numbers import format_number

WIDTH = 560
LABEL_WIDTH = 190
VALUE_WIDTH = 110
BAR_HEIGHT = 18
GAP = 8
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    width: float
    y: float
    text_y: float
    is_subject: bool


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    zero_x: float
    plot_left: int
    plot_right: int
    bars: tuple[Bar, ...]
    band: Band | None


def bar_chart(
    rows: list[tuple[str, float, str, bool]], *, band: tuple[float, float, str] | None = None
) -> Chart | None:
    """``rows`` are (label, value, value as text, is the municipality); ``band`` is (q1, q3, label)."""
    if not rows:
        return None
    left, right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    numbers = [v for _, v, _, _ in rows] + ([band[0], band[1]] if band else []) + [0.0]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return round(left + (value - low) / span * (right - left), 1)

    zero = x(0.0)
    bars = []
    for n, (label, value, text, subject) in enumerate(rows):
        y = TOP + n * (BAR_HEIGHT + GAP)
        start, end = sorted((zero, x(value)))
        bars.append(
            Bar(
                label=label,
                value_text=text,
                x=start,
                width=round(max(end - start, 1.0), 1),  # rounded again: a difference of tenths is not one
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                is_subject=subject,
            )
        )
    drawn_band = None
    if band is not None:
        b_start, b_end = sorted((x(band[0]), x(band[1])))
        drawn_band = Band(x=b_start, width=round(max(b_end - b_start, 1.0), 1), label=band[2])
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + GAP)
    return Chart(WIDTH, height, zero, left, right, tuple(bars), drawn_band)


def format_value(value: float | None, decimals: int) -> str:
    return format_number(value, decimals)


def comparison_chart(
    subject: tuple[str, float | None],
    others: list[tuple[str, float | None]],
    *,
    decimals: int,
    aggregation: str,
    quartiles: tuple[float | None, float | None] = (None, None),
) -> Chart | None:
    """The municipality's figure beside its comparison regions, with the KOSTRA group's middle half as a
    band. None where there is nothing to draw, or where the figure is a total (population, say): beside
    the sum of a group it is no comparison, and the table says it all."""
    label, value = subject
    if value is None or aggregation == "sum":
        return None
    rows = [(label, value, format_value(value, decimals), True)]
    rows += [(name, v, format_value(v, decimals), False) for name, v in others if v is not None]
    q1, q3 = quartiles
    band = None
    if q1 is not None and q3 is not None:
        band = (
            q1,
            q3,
            _("Middle half of the KOSTRA group: %(low)s to %(high)s")
            % {"low": format_value(q1, decimals), "high": format_value(q3, decimals)},
        )
    return bar_chart(rows, band=band)
