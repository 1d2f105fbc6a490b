"""The task worker: django-tasks-db's database worker with the three things it leaves to its user.

- **A dead worker's task runs again.** django-tasks-db claims a task by locking its row
  (``SELECT … FOR UPDATE SKIP LOCKED``) and marking it RUNNING in a short transaction; the task then runs
  outside any transaction. A worker killed while running it leaves the row RUNNING for ever. Here every
  worker reports itself in ``TaskWorker`` (a heartbeat every ``TASKS_WORKER_TIMEOUT_SECONDS / 6``), and
  every worker, when it starts and at each heartbeat, queues again the RUNNING tasks of workers that are
  gone: on the same host, a worker whose process no longer exists (at once); anywhere, one not heard from
  for ``TASKS_WORKER_TIMEOUT_SECONDS``.
- **Retries.** A task that raises is queued again after ``TASKS_RETRY_DELAY_SECONDS`` × 1, 4, 16 … until
  it has been tried ``TASKS_MAX_ATTEMPTS`` times (a lost worker counts as a try), then it is FAILED. The
  same row is used throughout: its worker ids count the tries, its traceback holds the last error.
- **A stopped worker gives its task back.** A task interrupted by a forced stop is queued again, not failed.

Every finishing write is conditional on the claim it finishes (status RUNNING, same start time), so a
worker taken for dead that was only slow cannot overwrite the result of the worker that took over.
Tasks are idempotent (kommunedialog.core.outbox, the PDF caches), so running one again is safe."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from pathlib import Path
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.tasks import TaskContext
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django.utils.json import normalize_json
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import retry

from kommunedialog.core import audit, logs, task_backend
from kommunedialog.core.actors import Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.models import TaskWorker

logger = logging.getLogger(__name__)


# One row of django-tasks-db's queue, whatever its task's arguments and result.
type TaskRow = DBTaskResult[..., Any]


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped (was killed, lost its machine) while running it."""


def retry_delay(attempt: int) -> dt.timedelta:
    """How long to wait before try ``attempt + 1``: the base delay × 4^(attempt − 1), at most a day."""
    seconds = settings.TASKS_RETRY_DELAY_SECONDS * 4 ** (attempt - 1)
    return dt.timedelta(seconds=min(seconds, 24 * 60 * 60))


def process_exists(pid: int) -> bool:
    """Whether process ``pid`` is alive on this host (a zombie, killed and not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _worker_gone(worker: TaskWorker | None, started_at: dt.datetime | None, now: dt.datetime, me: str) -> bool:
    stale = now - dt.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT_SECONDS)
    if worker is None:
        # A worker that never reported (another kind of worker, or one forgotten) gets the whole timeout.
        return started_at is None or started_at < stale
    if worker.seen_at < stale:
        return True
    if worker.hostname != socket.gethostname() or worker.worker_id == me:
        return False
    return worker.pid == os.getpid() or not process_exists(worker.pid)


def _finish(result: TaskRow, **fields: Any) -> bool:
    """Write the outcome of the claim ``result`` holds; False if another worker has taken the task over."""
    claim = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
    return bool(claim.update(**fields))


def requeue_abandoned(*, backend_name: str, me: str = "") -> list[str]:
    """Queue again (or fail, after the last try) every RUNNING task whose worker is gone. Returns their ids."""
    now = timezone.now()
    workers = {w.worker_id: w for w in TaskWorker.objects.all()}
    requeued = []
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for result in running.only("id", "started_at", "worker_ids"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        if not _worker_gone(workers.get(last), result.started_at, now, me):
            continue
        attempts = len(result.worker_ids)
        lost = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
        note = f"Worker {last} stopped while running try {attempts} of {settings.TASKS_MAX_ATTEMPTS}."
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            outcome: dict[str, Any] = {"status": TaskResultStatus.FAILED, "finished_at": now}
        else:
            outcome = {"status": TaskResultStatus.READY, "run_after": now}
        if _finish(result, exception_class_path=lost, traceback=note, **outcome):
            logger.warning(
                "%s Task %s %s.",
                note,
                result.pk,
                "failed" if attempts >= settings.TASKS_MAX_ATTEMPTS else "queued again",
            )
            requeued.append(str(result.pk))
    gone = [w.worker_id for w in workers.values() if w.worker_id != me and _worker_gone(w, None, now, me)]
    TaskWorker.objects.filter(worker_id__in=gone).delete()
    return requeued


def failed_tasks_requeue(*, actor: Actor, results: QuerySet[TaskRow]) -> list[TaskRow]:
    """An administrator queues failed tasks again (after fixing what made them fail): each gets a new
    round of tries. Tasks not failed are left as they are."""
    requeued = []
    with transaction.atomic():
        for result in results.select_for_update().filter(status=TaskResultStatus.FAILED).order_by("pk"):
            before = {"status": result.status, "tries": len(result.worker_ids), "error": result.exception_class_path}
            result.status = TaskResultStatus.READY
            result.run_after = timezone.now()
            result.worker_ids = []
            result.finished_at = None
            result.save(update_fields=["status", "run_after", "worker_ids", "finished_at"])
            audit.record(
                actor=actor, obj=result, action=AuditAction.TASK_REQUEUE, before=before, after={"status": result.status}
            )
            requeued.append(result)
    return requeued


class Heartbeat(threading.Thread):
    """Reports the worker alive, and looks for other workers' abandoned tasks, on its own connection."""

    def __init__(self, worker: Worker) -> None:
        super().__init__(name=f"heartbeat-{worker.worker_id}", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.TASKS_WORKER_TIMEOUT_SECONDS / 6
        try:
            while not self.stopped.wait(interval):
                try:
                    self.worker.report()
                    requeue_abandoned(backend_name=self.worker.backend_name, me=self.worker.worker_id)
                except DatabaseError:
                    logger.exception("Worker %s could not report to the database", self.worker.worker_id)
                    close_old_connections()
        finally:
            connection.close()


class Worker(db_worker.Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.heartbeat = Heartbeat(self)

    def report(self) -> None:
        TaskWorker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": timezone.now(),
            },
        )

    def run(self) -> None:
        self.report()
        for task_id in requeue_abandoned(backend_name=self.backend_name, me=self.worker_id):
            logger.info("Worker %s queued again task %s, abandoned by a worker that is gone", self.worker_id, task_id)
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stopped.set()
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: TaskRow) -> None:
        """Run the claimed task; its log lines carry its id and the id of the request that queued it."""
        request_id = task_backend.request_id_of(db_task_result.pk)
        with logs.bound(request_id=request_id, task_id=str(db_task_result.pk)):
            self._run_task(db_task_result)

    def _run_task(self, db_task_result: TaskRow) -> None:
        """Run the claimed task; record success, a retry, or (after the last try) failure."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
        except (ImportError, SuspiciousOperation) as error:
            logger.exception("Task %s cannot be loaded", db_task_result.pk)
            self._record_failure(db_task_result, error, final=True)
            self.running_task = False
            self._run_tasks += 1
            return
        backend_type = type(task.get_backend())
        try:
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            self._record_success(db_task_result, normalize_json(value))
        except (KeyboardInterrupt, SystemExit):
            # Stopped by force (a second Ctrl+C or SIGTERM): not the task's failure. Give it back.
            _finish(db_task_result, status=TaskResultStatus.READY, run_after=timezone.now())
            raise
        except Exception as error:
            final = len(db_task_result.worker_ids) >= settings.TASKS_MAX_ATTEMPTS
            self._record_failure(db_task_result, error, final=final)
        finally:
            self.running_task = False
            self._run_tasks += 1
        db_task_result.refresh_from_db()
        if db_task_result.status != TaskResultStatus.READY:
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)

    @retry()
    def _record_success(self, result: TaskRow, value: Any) -> None:
        if not _finish(
            result,
            status=TaskResultStatus.SUCCESSFUL,
            finished_at=timezone.now(),
            return_value=value,
            exception_class_path="",
            traceback="",
        ):
            logger.warning("Task %s was taken over by another worker; its result is theirs", result.pk)

    @retry()
    def _record_failure(self, result: TaskRow, error: BaseException, *, final: bool) -> None:
        attempt = len(result.worker_ids)
        fields: dict[str, Any] = {
            "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
            "traceback": "".join(format_exception(error)),
            "return_value": None,
        }
        if final:
            fields |= {"status": TaskResultStatus.FAILED, "finished_at": timezone.now()}
            logger.error("Task %s failed on try %s of %s: %r", result.pk, attempt, settings.TASKS_MAX_ATTEMPTS, error)
        else:
            fields |= {"status": TaskResultStatus.READY, "run_after": timezone.now() + retry_delay(attempt)}
            logger.warning(
                "Task %s failed on try %s of %s, tried again later: %r",
                result.pk,
                attempt,
                settings.TASKS_MAX_ATTEMPTS,
                error,
            )
        _finish(result, **fields)
