"""The register is written by imports (audited there); the admin shows it read-only, except an office's
organisation number, which no import supplies and which is saved through its audited service."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from kommunedialog.core.actors import person
from kommunedialog.core.admin import ReadOnlyAdmin
from kommunedialog.registry import services
from kommunedialog.registry.models import CodeChange, County, KostraGroup, Municipality, Office


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "organisation_number"]
    search_fields = ["name", "code", "organisation_number"]
    fields = ["name", "code", "organisation_number"]
    readonly_fields = ["name", "code"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    def save_model(self, request: HttpRequest, obj: Office, form: forms.ModelForm[Any], change: bool) -> None:
        services.office_set_organisation_number(
            office=obj, actor=person(request), organisation_number=form.cleaned_data["organisation_number"]
        )


@admin.register(County)
class CountyAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "office"]
    list_filter = ["office"]


@admin.register(KostraGroup)
class KostraGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "county", "valid_from", "valid_to", "language_form", "kostra_group"]
    list_filter = ["county", "language_form", "kostra_group", "centrality"]
    search_fields = ["number", "name", "name_norwegian"]


@admin.register(CodeChange)
class CodeChangeAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "old_code", "old_name", "new_code", "new_name", "weight", "weight_source"]
    list_filter = ["occurred_on", "weight_source"]
    search_fields = ["old_code", "new_code", "old_name", "new_name"]
