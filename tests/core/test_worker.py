"""The task worker's rules, without starting one (the workers themselves run in tests/grants/test_worker.py):
which RUNNING tasks count as abandoned, the retry delays, the administrators' view of the queue, the
schedule, and the pages that wait for a PDF instead of rendering it in the request."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

import pytest
from apscheduler.triggers.cron import CronTrigger
from django.core.exceptions import ImproperlyConfigured
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kommunedialog.core import schedule, worker
from kommunedialog.core.models import AuditEvent, TaskWorker
from kommunedialog.grants import scheduled as grants_scheduled
from tests.factories import UserFactory
from tests.workers import DATABASE_TASKS

pytestmark = pytest.mark.django_db

HERE = socket.gethostname()


def running(worker_id: str, *, started: dt.datetime, tries: int = 1) -> DBTaskResult:  # type: ignore[type-arg]
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="kommunedialog.core.tasks.deliver_outbox",
        backend_name="default",
        started_at=started,
        worker_ids=[f"earlier-{n}" for n in range(tries - 1)] + [worker_id],
    )


def reported(worker_id: str, *, host: str = HERE, pid: int | None = None, seen: dt.datetime) -> TaskWorker:
    return TaskWorker.objects.create(
        worker_id=worker_id, hostname=host, pid=pid or os.getpid(), started_at=seen, seen_at=seen
    )


def a_dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_the_tasks_of_workers_that_are_gone_are_queued_again(settings):
    settings.TASKS_WORKER_TIMEOUT_SECONDS = 60
    now = timezone.now()
    reported("alive-elsewhere", host="another-host", pid=1, seen=now - dt.timedelta(seconds=30))
    reported("silent-elsewhere", host="another-host", pid=1, seen=now - dt.timedelta(seconds=61))
    reported("dead-here", pid=a_dead_pid(), seen=now)
    reported("alive-here", pid=os.getppid(), seen=now)
    tasks = {
        name: running(name, started=now - dt.timedelta(seconds=5))
        for name in ("alive-elsewhere", "silent-elsewhere", "dead-here", "alive-here", "never-reported")
    }
    tasks["long-unreported"] = running("long-unreported", started=now - dt.timedelta(minutes=5))

    requeued = worker.requeue_abandoned(backend_name="default", me="me")

    assert sorted(requeued) == sorted(str(tasks[n].pk) for n in ("silent-elsewhere", "dead-here", "long-unreported"))
    states = {name: DBTaskResult.objects.get(pk=t.pk) for name, t in tasks.items()}
    assert {n: r.status for n, r in states.items()} == {
        "alive-elsewhere": TaskResultStatus.RUNNING,
        "silent-elsewhere": TaskResultStatus.READY,
        "dead-here": TaskResultStatus.READY,
        "alive-here": TaskResultStatus.RUNNING,
        "never-reported": TaskResultStatus.RUNNING,  # perhaps a worker of another kind: it gets the timeout
        "long-unreported": TaskResultStatus.READY,
    }
    assert states["dead-here"].exception_class_path == "kommunedialog.core.worker.WorkerLost"
    assert states["dead-here"].traceback == "Worker dead-here stopped while running try 1 of 5."
    assert states["dead-here"].run_after <= timezone.now()
    assert sorted(TaskWorker.objects.values_list("worker_id", flat=True)) == ["alive-elsewhere", "alive-here"]


def test_a_task_whose_workers_died_on_every_try_is_failed(settings):
    settings.TASKS_MAX_ATTEMPTS = 3
    task = running("dead", started=timezone.now(), tries=3)
    reported("dead", pid=a_dead_pid(), seen=timezone.now())
    worker.requeue_abandoned(backend_name="default", me="me")
    task.refresh_from_db()
    assert (task.status, task.traceback) == (TaskResultStatus.FAILED, "Worker dead stopped while running try 3 of 3.")
    assert task.finished_at is not None


def test_a_worker_with_my_process_id_on_this_host_is_an_earlier_one():
    # Containers restart their worker as the same process id: that earlier worker is gone.
    task = running("earlier-me", started=timezone.now())
    reported("earlier-me", pid=os.getpid(), seen=timezone.now())
    assert worker.requeue_abandoned(backend_name="default", me="me") == [str(task.pk)]


def test_retry_delays_grow_fourfold_up_to_a_day(settings):
    settings.TASKS_RETRY_DELAY_SECONDS = 30
    assert [worker.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 9)] == [30, 120, 480, 1920, 86400]


def test_a_process_that_ended_does_not_exist():
    assert worker.process_exists(os.getpid())
    assert not worker.process_exists(a_dead_pid())


def admin_client() -> Client:
    web = Client()
    web.force_login(UserFactory(role="admin"))
    return web


def test_administrators_see_the_queue_and_queue_failed_tasks_again():
    failed = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {"decision_id": 7}},
        task_path="kommunedialog.grants.tasks.announce_decision",
        backend_name="default",
        worker_ids=["a", "b", "c"],
        exception_class_path="builtins.ConnectionRefusedError",
        traceback="ConnectionRefusedError: [Errno 111] Connection refused",
        finished_at=timezone.now(),
    )
    done = running("w", started=timezone.now())
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
    web = admin_client()
    page = web.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "announce_decision" in page
    assert "ConnectionRefusedError" in page
    response = web.post(
        "/admin/django_tasks_database/dbtaskresult/",
        {"action": "queue_again", "_selected_action": [str(failed.pk), str(done.pk)]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.worker_ids, failed.finished_at) == (TaskResultStatus.READY, [], None)
    assert DBTaskResult.objects.get(pk=done.pk).status == TaskResultStatus.SUCCESSFUL  # only failed ones
    [event] = AuditEvent.objects.filter(action="task_requeue")
    assert (event.object_id, event.before["tries"], event.after) == (str(failed.pk), 3, {"status": "READY"})


def test_the_queue_is_for_administrators_only():
    web = Client()
    web.force_login(UserFactory(role="coordinator", office="rogaland"))
    for page in ("/admin/django_tasks_database/dbtaskresult/", "/admin/core/outboxmail/", "/admin/core/taskworker/"):
        assert web.get(page).status_code == 302  # to the admin login, as for every admin page
        assert admin_client().get(page).status_code == 200


def test_the_schedule_names_real_tasks_on_valid_crontab_lines():
    entries = {e.task_path: e for e in schedule.entries()}
    assert sorted(entries) == [
        "kommunedialog.core.tasks.deliver_outbox",
        "kommunedialog.core.tasks.prune_task_results",
        "kommunedialog.grants.scheduled.grants_tick",
        "kommunedialog.profiles.scheduled.close_due_consultations",
        "kommunedialog.profiles.tasks.consultation_reminders",
        "kommunedialog.statistics.tasks.ingest_statistics",
    ]
    assert entries["kommunedialog.grants.scheduled.grants_tick"].task is grants_scheduled.grants_tick
    assert schedule.check_schedule() == []
    daily = CronTrigger.from_crontab(entries["kommunedialog.statistics.tasks.ingest_statistics"].cron)
    assert "hour='9'" in str(daily)


def test_a_wrong_schedule_is_reported_by_the_checks(settings):
    settings.TASKS_SCHEDULE = {"kommunedialog.grants.scheduled.grants_tick": "0 7 * * 1"}
    [error] = schedule.check_schedule()
    assert error.id == "core.E102"
    assert "name the weekdays" in error.msg
    settings.TASKS_SCHEDULE = {"kommunedialog.grants.notify.language_for": "0 7 * * *"}
    with pytest.raises(ImproperlyConfigured, match="which is not a task"):
        schedule.entries()


def test_a_pdf_not_yet_rendered_is_queued_once_and_the_page_says_it_is_being_prepared(settings):
    from tests.scenario import make_scenario

    make_scenario()  # publishes a kommunebilde; in this test the task queued on commit never runs
    settings.TASKS = DATABASE_TASKS
    for _ in range(2):
        response = Client().get("/kommuner/1133/kommunebilde.pdf")
        assert (response.status_code, response["Retry-After"]) == (202, "10")
        assert "no-cache" in response["Cache-Control"]
        assert "Dokumentet blir laget. Det er vanligvis klart innen ett minutt." in response.content.decode()
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.status) == ("kommunedialog.profiles.tasks.render_snapshot_pdf", "READY")
