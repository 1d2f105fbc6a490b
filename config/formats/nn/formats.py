"""Nynorsk formats: Django's, with dates in running text as "4. desember 2026" and numbers as
"12 345,6" (a non-breaking space between thousands, a decimal comma)."""

from django.conf.locale.nn.formats import *  # noqa: F403

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y H:i"
MONTH_DAY_FORMAT = "j. F"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
