"""A rating is shown as text, icon and colour together, never colour alone (WCAG 1.4.1)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from kommunedialog.profiles.models import Rating

register = template.Library()

# (Designsystemet colour, icon path in a 24×24 box)
_STYLE = {
    Rating.GOOD: ("success", "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"),
    Rating.IMPROVEMENT: ("warning", "M12 2 1 21h22L12 2zm1 15h-2v2h2v-2zm0-7h-2v5h2v-5z"),
    Rating.VULNERABLE: (
        "danger",
        "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm5 13.6L15.6 17 12 13.4 8.4 17 7 15.6 10.6 12 7 8.4 8.4 7 12 10.6 15.6 7 17 8.4 13.4 12z",
    ),
    Rating.NOT_ASSESSED: ("neutral", "M5 11h14v2H5z"),
}


@register.simple_tag
def rating_badge(code: str | None) -> str:
    rating = Rating(code) if code in Rating.values else Rating.NOT_ASSESSED
    color, path = _STYLE[rating]
    return format_html(
        '<span class="ds-tag rating" data-color="{}"><svg class="rating__icon" viewBox="0 0 24 24" width="18" height="18" '
        'aria-hidden="true" focusable="false"><path fill="currentColor" d="{}"/></svg>{}</span>',
        color,
        path,
        rating.label,
    )
