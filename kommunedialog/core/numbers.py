"""Numbers and amounts in the reader's language: "12 345,7" and "12 345 kr" in bokmål and nynorsk,
"12,345.7" and "NOK 12,345" in English. Rounded half up to the decimals shown (Django's number_format
cuts the digits off instead: 12.35 became "12,3")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """The figure with the reader's decimal sign and thousands grouping; "" when there is none."""
    if value is None:
        return ""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(exact, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_amount(amount: int | None) -> str:
    """Whole kroner grouped in thousands, without the currency; "–" when there is none."""
    return "–" if amount is None else format_number(amount, 0)


def format_nok(amount: int | None) -> str:
    """Whole kroner with the currency where the reader puts it: "12 345 kr", "NOK 12,345"."""
    if amount is None:
        return "–"
    # Translators: an amount in Norwegian kroner; bokmål and nynorsk write "%(amount)s kr".
    return _("NOK %(amount)s") % {"amount": format_amount(amount)}
