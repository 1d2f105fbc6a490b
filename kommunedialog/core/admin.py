from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from kommunedialog.core import worker
from kommunedialog.core.actors import person
from kommunedialog.core.models import AuditEvent, OutboxMail, TaskWorker
from kommunedialog.core.worker import TaskRow


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


# Background work: administrators see every task with its state, tries and last error, the workers running
# them, and every e-mail sent or waiting. Only a failed task can be touched: queued again, on purpose.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "task_name",
        "status",
        "attempts",
        "enqueued_at",
        "started_at",
        "finished_at",
        "short_error",
        "queue_name",
    )
    list_filter = ("status", "queue_name", "task_path")
    search_fields = ["id", "task_path"]
    actions = ["queue_again"]

    @admin.display(description=_("tries"))
    def attempts(self, obj: TaskRow) -> int:
        return len(obj.worker_ids)

    @admin.display(description=_("error"))
    def short_error(self, obj: TaskRow) -> str:
        return str(obj.exception_class_path).rsplit(".", 1)[-1]

    @admin.action(description=_("Queue the selected failed tasks again"))
    def queue_again(self, request: HttpRequest, queryset: QuerySet[TaskRow]) -> None:
        requeued = worker.failed_tasks_requeue(actor=person(request), results=queryset)
        self.message_user(request, gettext("Failed tasks queued again: %(n)s") % {"n": len(requeued)})


@admin.register(TaskWorker)
class TaskWorkerAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]
    readonly_fields = [f.name for f in TaskWorker._meta.fields]


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "purpose", "recipient", "language", "sent_at", "attempts", "last_error"]
    list_filter = ["purpose", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient", "subject", "object_id"]
    readonly_fields = [f.name for f in OutboxMail._meta.fields]
