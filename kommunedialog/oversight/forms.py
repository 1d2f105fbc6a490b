from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.forms import StyledForm, date_field, style
from kommunedialog.oversight.importers import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Use the template for the kind of record. Every row is checked before anything is saved."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx", "aria-describedby": "id_file-help"})


class SupervisionCloseForm(StyledForm):
    closed_on = date_field(_("Closing date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate
