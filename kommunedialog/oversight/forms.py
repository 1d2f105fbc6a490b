from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.domains import Domain
from kommunedialog.oversight.importers import ImportKind
from kommunedialog.oversight.overview import OverviewFilter, Show
from kommunedialog.registry.models import Municipality


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "ds-input")


class OverviewFilterForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("All")
    )
    show = forms.ChoiceField(label=_("Show"), choices=Show.choices, required=False)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("All domains")), *Domain.choices]  # type: ignore[attr-defined]
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.name} ({m.number})"  # type: ignore[attr-defined]
        _style(self)

    def filters(self) -> OverviewFilter:
        """The filters asked for; anything invalid falls back to no filter rather than an error page."""
        if not self.is_valid():
            return OverviewFilter()
        data = self.cleaned_data
        return OverviewFilter(
            domain=Domain(data["domain"]) if data.get("domain") else None,
            municipality=data.get("municipality"),
            show=data.get("show") or Show.RECORDS,
        )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Use the template for the kind of record. Every row is checked before anything is saved."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx", "aria-describedby": "id_file-help"})


class SupervisionCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Closing date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}),
        initial=timezone.localdate,
    )
