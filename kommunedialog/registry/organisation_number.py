"""Norwegian organisation numbers (Brønnøysundregistrene): nine digits, the last a modulus-11 check digit
over the first eight with the weights 3 2 7 6 5 4 3 2. A number whose remainder leaves 10 is never issued.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None when no valid number starts with them."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


def is_valid(value: str) -> bool:
    return len(value) == 9 and value.isascii() and value.isdigit() and check_digit(value[:8]) == int(value[8])


def validate_organisation_number(value: str) -> None:
    """Django validator for model and form fields; an empty value is left to ``blank``/``required``."""
    if not value:
        return
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError(_("An organisation number is nine digits."), code="invalid")
    if not is_valid(value):
        raise ValidationError(
            _(
                "This is not a valid organisation number: the check digit does not match. Check it in Brønnøysundregistrene."
            ),
            code="check_digit",
        )
