"""The register is written by imports only (audited there); the admin shows it read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kommunedialog.registry.models import CodeChange, County, KostraGroup, Municipality, Office


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


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
