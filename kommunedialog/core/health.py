"""The health endpoint: each dependency of a running installation checked on every call, for the
operators' monitoring and the proxy (docs/deployment.md).

``/health/`` checks the database, the cache (Redis in production), the storage of uploads, the task
queue (a worker has reported; the oldest waiting task has not waited too long) and, where Redis holds
its lock, the scheduler; it answers 503 when any fails. ``/health/web/`` checks only what a web process
needs to serve (database, cache, storage), for a load balancer deciding where to send requests: a stopped
worker must not take the web servers out of rotation. The checks are django-health-check's, with the
task queue added here."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.contrib.crontask import Scheduler
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from kommunedialog.core.models import TaskWorker


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """A task worker has reported within ``TASKS_WORKER_TIMEOUT_SECONDS``, and the oldest task waiting to
    run has waited at most ``HEALTH_TASK_WAIT_LIMIT_SECONDS``. Says how many workers and how long."""

    detail: str = dataclasses.field(default="", repr=False)

    def run(self) -> None:
        try:
            self.inspect()
        finally:
            # Run in a thread of the view's executor: its connection would outlive the request.
            connections.close_all()

    def inspect(self) -> None:
        now = timezone.now()
        workers = TaskWorker.objects.filter(
            seen_at__gte=now - dt.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT_SECONDS)
        ).count()
        waited = oldest_wait(now)
        self.detail = f"{workers} worker(s); oldest waiting task {waited:.0f} s"
        if not workers:
            raise ServiceUnavailable(
                f"no task worker has reported in the last {settings.TASKS_WORKER_TIMEOUT_SECONDS} s"
            )
        if waited > settings.HEALTH_TASK_WAIT_LIMIT_SECONDS:
            raise ServiceUnavailable(
                f"the oldest waiting task has waited {waited:.0f} s (limit {settings.HEALTH_TASK_WAIT_LIMIT_SECONDS} s)"
            )


def oldest_wait(now: dt.datetime) -> float:
    """Seconds the oldest task ready to run has waited: since it was queued, or since the time it was
    due (a retry, or a task queued to run later). 0 when none waits."""
    ready = DBTaskResult.objects.ready()
    never = get_date_max()
    since = [
        ready.filter(run_after=never).aggregate(at=Min("enqueued_at"))["at"],
        ready.exclude(run_after=never).aggregate(at=Min("run_after"))["at"],
    ]
    started = min((at for at in since if at is not None), default=now)
    return max(0.0, (now - started).total_seconds())


def checks(*, web_only: bool) -> dict[str, HealthCheck]:
    """The checks by name: what this installation has (a task queue only with the database backend, the
    scheduler's lock only with Redis)."""
    found: dict[str, HealthCheck] = {"database": Database(), "cache": Cache(), "storage": Storage()}
    if web_only:
        return found
    if isinstance(task_backends["default"], DatabaseBackend):
        found["task_queue"] = TaskQueue()
    if getattr(settings, "CRONTASK", {}).get("REDIS_URL"):
        found["scheduler"] = Scheduler()
    return found


class HealthView(HealthCheckView):
    """JSON: ``{"status": "ok" | "unavailable", "checks": {name: {"status", "detail"?, "error"?}}}``;
    200 when every check passes, 503 otherwise. Never cached."""

    web_only = False

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        named = checks(web_only=self.web_only)
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in named.values()))
        report: dict[str, dict[str, str]] = {}
        for name, result in zip(named, results, strict=True):
            entry = {"status": "unavailable" if result.error else "ok"}
            if detail := getattr(result.check, "detail", ""):
                entry["detail"] = detail
            if result.error:
                entry["error"] = str(result.error)
            report[name] = entry
        failed = any(result.error for result in results)
        return JsonResponse(
            {"status": "unavailable" if failed else "ok", "checks": report}, status=503 if failed else 200
        )


health_show = HealthView.as_view()
web_health_show = HealthView.as_view(web_only=True)
