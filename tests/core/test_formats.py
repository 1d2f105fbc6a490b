"""Dates and numbers in the reader's language: "4. desember 2026" in bokmål and nynorsk, "4 December
2026" in English, never ISO; Norwegian number formats in bokmål and nynorsk only."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format

from kommunedialog.core.numbers import format_amount, format_nok, format_number

DAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "4. desember 2026"), ("nn", "4. desember 2026"), ("en", "4 December 2026")],
)
def test_a_date_in_running_text(language, expected):
    with translation.override(language):
        rendered = Template("{{ day|date }}").render(Context({"day": DAY}))
        assert (date_format(DAY), rendered) == (expected, expected)


@pytest.mark.parametrize(
    ("language", "number", "amount", "nok"),
    [
        ("nb", "12\xa0345,7", "1\xa0250\xa0000", "1\xa0250\xa0000 kr"),
        ("nn", "12\xa0345,7", "1\xa0250\xa0000", "1\xa0250\xa0000 kr"),
        ("en", "12,345.7", "1,250,000", "NOK 1,250,000"),
    ],
)
def test_numbers_and_amounts(language, number, amount, nok):
    with translation.override(language):
        assert (format_number(12345.65, 1), format_amount(1250000), format_nok(1250000)) == (number, amount, nok)
        rendered = Template("{% load formats %}{{ x|number:1 }}|{{ a|amount }}|{{ a|kr }}").render(
            Context({"x": 12345.65, "a": 1250000})
        )
        assert rendered == f"{number}|{amount}|{nok}"


def test_rounded_half_up_not_cut_off():
    with translation.override("nb"):
        assert [format_number(v, 1) for v in (12.35, 12.34, -0.05, 2.0)] == ["12,4", "12,3", "-0,1", "2,0"]
        assert format_number(None, 1) == ""


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 application still awaits a decision", "2 applications still await a decision"),
        ("nb", "1 søknad venter fortsatt på vedtak", "2 søknader venter fortsatt på vedtak"),
        ("nn", "1 søknad ventar framleis på vedtak", "2 søknader ventar framleis på vedtak"),
    ],
)
def test_counts_agree_in_number(language, one, two):
    from django.utils.translation import ngettext

    with translation.override(language):
        said = [
            ngettext("%(n)s application still awaits a decision", "%(n)s applications still await a decision", n)
            % {"n": n}
            for n in (1, 2)
        ]
    assert said == [one, two]


def _django_number(value: float | int | Decimal, decimals: int) -> str:
    """Django's own number_format after the same half-up rounding: what format_number must equal."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(exact, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_format_number_equals_djangos_number_format(language):
    rng = random.Random(2026)
    values: list[float | int | Decimal] = [0, -0.0, -0.004, 1, -1, 12.35, 999, 1000, -1000, 0.05, 10**12]
    values += [rng.uniform(-1e7, 1e7) for _ in range(400)] + [rng.randint(-(10**9), 10**9) for _ in range(200)]
    values += [Decimal("12.345"), Decimal("-99999.5")]
    with translation.override(language):
        differ = [
            (v, d, format_number(v, d), _django_number(v, d))
            for v in values
            for d in (0, 1, 2, 3)
            if format_number(v, d) != _django_number(v, d)
        ]
    assert differ == []
