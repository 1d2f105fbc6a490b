"""Background work of the platform itself, and what pages need when they ask for work to be done (a PDF
not rendered yet): ``enqueue_unless_pending``, so it is queued once however many readers ask, and the
"being prepared" page shown meanwhile."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.tasks import Task, TaskResultStatus, task
from django.utils.cache import add_never_cache_headers
from django.utils.json import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from kommunedialog.core import outbox

# Finished task results are kept this long for the administrators to look at.
KEEP_TASK_RESULTS_DAYS = 30


def enqueue_unless_pending(work: Task[..., Any], **kwargs: Any) -> None:
    """Enqueue ``work(**kwargs)`` unless the same call is already waiting or running."""
    if isinstance(work.get_backend(), DatabaseBackend):
        pending = DBTaskResult.objects.filter(
            task_path=work.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
        )
        if pending.exists():
            return
    work.enqueue(**kwargs)


def preparing_response(request: HttpRequest, *, title: str, back_url: str = "", back_label: str = "") -> HttpResponse:
    """The page shown instead of a document a task is still producing: 202 Accepted, never cached, with a
    link to ask again (no automatic refresh: the reader decides when, WCAG 2.2.1)."""
    response = render(
        request,
        "core/preparing.html",
        {"title": title, "back_url": back_url, "back_label": back_label},
        status=202,
    )
    response["Retry-After"] = "10"
    add_never_cache_headers(response)
    return response


@task()
def deliver_outbox() -> int:
    """Send the outbox mails whose own task gave up or was lost."""
    return outbox.deliver_unsent()


@task()
def prune_task_results() -> str:
    """Delete finished task results older than ``KEEP_TASK_RESULTS_DAYS`` (failed ones included)."""
    out = io.StringIO()
    call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, stdout=out)
    return out.getvalue().strip()
