"""The task backend: django-tasks-db's, which keeps the queue in the project database (ADR 0009), with the
request id of the request that queued each task written beside it in the same transaction (TaskOrigin),
so no worker can start the task before its origin is there."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.tasks import Task
from django_tasks_db import backend
from django_tasks_db.models import DBTaskResult

from kommunedialog.core import logs
from kommunedialog.core.models import TaskOrigin


class DatabaseBackend(backend.DatabaseBackend):
    def _task_to_db_task(self, task: Task[..., Any], args: Any, kwargs: Any) -> DBTaskResult[..., Any]:
        request_id = logs.REQUEST_ID.get()
        if not request_id:  # queued by the scheduler or a command, not by a request
            return super()._task_to_db_task(task, args, kwargs)
        with transaction.atomic():
            row = super()._task_to_db_task(task, args, kwargs)
            TaskOrigin.objects.create(task_result=row, request_id=request_id)
        return row


def request_id_of(task_result_id: uuid.UUID) -> str:
    """The id of the request that queued the task, or "" when none did."""
    return TaskOrigin.objects.filter(task_result_id=task_result_id).values_list("request_id", flat=True).first() or ""
