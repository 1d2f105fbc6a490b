"""Numbers and amounts in the reader's language: "12 345,7" and "12 345 kr" in bokmål and nynorsk,
"12,345.7" and "NOK 12,345" in English. Rounded half up to the decimals shown (Django's number_format
cuts the digits off instead: 12.35 became "12,3")."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from django.core.signals import setting_changed
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_STEPS = {d: Decimal(1).scaleb(-d) for d in range(16)}


@functools.cache
def _separators(language: str | None) -> dict[int, str] | None:
    """Python's separators mapped to the language's, or None where it does not group by threes."""
    if get_format("NUMBER_GROUPING", language) != 3:
        return None
    return {ord(","): get_format("THOUSAND_SEPARATOR", language), ord("."): get_format("DECIMAL_SEPARATOR", language)}


setting_changed.connect(lambda **kwargs: _separators.cache_clear(), weak=False)


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """The figure with the reader's decimal sign and thousands grouping; "" when there is none."""
    if value is None:
        return ""
    step = _STEPS.get(decimals) or Decimal(1).scaleb(-decimals)
    exact = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    separators = _separators(get_language())
    if separators is None or not exact.is_finite():
        return number_format(exact, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if not exact:
        exact = exact.copy_abs()  # no "-0,0" for a negative figure rounded to nothing
    # Python groups by threes itself; swapping its separators for the reader's gives what Django's
    # number_format gives, at a fraction of its cost (a statistics page formats some thousand figures).
    return f"{exact:,f}".translate(separators)


def format_amount(amount: int | None) -> str:
    """Whole kroner grouped in thousands, without the currency; "–" when there is none."""
    return "–" if amount is None else format_number(amount, 0)


def format_nok(amount: int | None) -> str:
    """Whole kroner with the currency where the reader puts it: "12 345 kr", "NOK 12,345"."""
    if amount is None:
        return "–"
    # Translators: an amount in Norwegian kroner; bokmål and nynorsk write "%(amount)s kr".
    return _("NOK %(amount)s") % {"amount": format_amount(amount)}
