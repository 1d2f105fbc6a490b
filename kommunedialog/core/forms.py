"""The project's form base: Designsystemet's input class on every widget, and dates typed as text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommunedialog.core import limits
from kommunedialog.core.concurrency import VersionedFormMixin

DATE_HELP = _("Day, month and year, e.g. 31.12.2026.")


def style(form: forms.BaseForm) -> None:
    limits.cap_form(form)
    for field in form.fields.values():
        if not isinstance(field.widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            field.widget.attrs.setdefault("class", "ds-input")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class StyledVersionedForm(VersionedFormMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    """A date typed as text (dd.mm.åååå; ISO dates are accepted too). A native date picker orders
    its segments by the browser's own language, so the same keystrokes mean different dates."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}, format="%d.%m.%Y"),
        help_text=DATE_HELP,
    )


def text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})
