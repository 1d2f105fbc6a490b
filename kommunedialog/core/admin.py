from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kommunedialog.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """For data written only by services (audited there): administrators may look, never add, change or delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
