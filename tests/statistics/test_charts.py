"""The comparison chart's geometry is written into every page and PDF: tenths of a unit, no float noise."""

from __future__ import annotations

import itertools

from kommunedialog.statistics import charts


def test_every_coordinate_and_width_is_written_in_tenths():
    values = [28.3, 35.0, 22.4, 25.9, 0.1, 1234.567, 17.77, 3.3]
    written = []
    for subject, a, b in itertools.permutations(values, 3):
        chart = charts.comparison_chart(
            ("Hjelmeland", subject),
            [("KOSTRA-gruppe 6", a), ("Hele landet", b)],
            decimals=1,
            aggregation="weighted_mean",
            quartiles=(min(a, b), max(a, b)),
        )
        assert chart is not None
        written += [chart.zero_x, *(n for bar in chart.bars for n in (bar.x, bar.width))]
        written += [chart.band.x, chart.band.width] if chart.band else []
    assert len(written) > 1000
    assert [n for n in written if len(str(float(n)).split(".")[1]) > 1] == []
