"""Numbers and amounts in the reader's language for templates: {{ value|number:1 }}, {{ amount|amount }}
(grouped, no currency, for columns headed "(NOK)") and {{ amount|kr }} ("12 345 kr", "NOK 12,345")."""

from __future__ import annotations

from django import template

from kommunedialog.core.numbers import format_amount, format_nok, format_number

register = template.Library()


@register.filter
def number(value: float | int | None, decimals: int = 0) -> str:
    return format_number(value, int(decimals))


@register.filter
def amount(value: int | None) -> str:
    return format_amount(value)


@register.filter
def kr(value: int | None) -> str:
    return format_nok(value)
