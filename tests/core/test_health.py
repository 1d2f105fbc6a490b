"""The health endpoint reports each dependency and answers 503 when one is down. The database and Redis are
taken down for real: a gunicorn in production mode is pointed at a port where nothing listens."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kommunedialog.core.models import TaskWorker
from kommunedialog.core.tasks import deliver_outbox
from tests.conftest import IN_CI
from tests.workers import DATABASE_TASKS, database_url

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/5"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(tmp_path: Path, **env: str) -> Iterator[str]:
    """gunicorn in production mode with ``env``; yields its base URL."""
    port = closed_port()
    environment = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "immediate",
        **env,
    }
    server = subprocess.Popen(  # noqa: S603 - this interpreter's gunicorn, fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "gunicorn.log").read_text()) from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def statuses(body: dict[str, object]) -> dict[str, str]:
    return {name: check["status"] for name, check in body["checks"].items()}  # type: ignore[attr-defined]


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.postgres
@pytest.mark.django_db
def test_all_up_then_postgresql_down_then_redis_down(tmp_path):
    if not redis_answers():
        if IN_CI:
            pytest.fail("CI runs this test with Redis on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("needs Redis on 127.0.0.1:6379")
    up = {"DATABASE_URL": database_url(), "REDIS_URL": REDIS}
    with served(tmp_path, **up) as base:
        assert fetch(base + "/health/web/") == (
            200,
            {
                "status": "ok",
                "checks": {"database": {"status": "ok"}, "cache": {"status": "ok"}, "storage": {"status": "ok"}},
            },
        )
        status, body = fetch(base + "/health/")
        # No scheduler runs here: the full check says so, and the web check above does not care.
        assert (status, statuses(body)) == (
            503,
            {"database": "ok", "cache": "ok", "storage": "ok", "scheduler": "unavailable"},
        )
        assert body["checks"]["scheduler"]["error"] == "Unavailable: No django-crontask scheduler is running."  # type: ignore[index]

    postgres_down = {**up, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/kommunedialog"}
    with served(tmp_path, **postgres_down) as base:
        for path in ("/health/", "/health/web/"):
            status, body = fetch(base + path)
            assert (status, body["status"]) == (503, "unavailable")
            assert statuses(body)["database"] == "unavailable"
            assert statuses(body)["cache"] == "ok"

    redis_down = {**up, "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/5"}
    with served(tmp_path, **redis_down) as base:
        status, body = fetch(base + "/health/web/")
        assert (status, statuses(body)) == (503, {"database": "ok", "cache": "unavailable", "storage": "ok"})
        status, body = fetch(base + "/health/")
        assert (status, statuses(body)["cache"], statuses(body)["scheduler"]) == (503, "unavailable", "unavailable")


@pytest.fixture
def queued_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_TASKS


def report_worker(seconds_ago: float) -> TaskWorker:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    return TaskWorker.objects.create(worker_id="w1", hostname="app1", pid=1, started_at=seen, seen_at=seen)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued_tasks")
def test_the_task_queue_needs_a_worker_that_has_reported(client, settings):
    response = client.get("/health/")
    assert (response.status_code, response.json()["checks"]["task_queue"]) == (
        503,
        {
            "status": "unavailable",
            "detail": "0 worker(s); oldest waiting task 0 s",
            "error": "Unavailable: no task worker has reported in the last 60 s",
        },
    )
    report_worker(seconds_ago=settings.TASKS_WORKER_TIMEOUT_SECONDS + 5)  # gone quiet: dead
    assert client.get("/health/").status_code == 503
    TaskWorker.objects.update(seen_at=timezone.now())
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "ok",
            "checks": {
                "database": {"status": "ok"},
                "cache": {"status": "ok"},
                "storage": {"status": "ok"},
                "task_queue": {"status": "ok", "detail": "1 worker(s); oldest waiting task 0 s"},
            },
        },
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued_tasks")
def test_the_task_queue_fails_when_its_oldest_waiting_task_waited_too_long(client, settings):
    report_worker(seconds_ago=0)
    result = deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - dt.timedelta(seconds=290))
    check = client.get("/health/").json()["checks"]["task_queue"]
    assert check["status"] == "ok"
    assert check["detail"].startswith("1 worker(s); oldest waiting task 29")
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - dt.timedelta(seconds=400))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"]["error"].startswith(
        "Unavailable: the oldest waiting task has waited 40"
    )
    assert response.json()["checks"]["task_queue"]["error"].endswith("s (limit 300 s)")
    # A task due later (a retry) is not waiting yet.
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/health/").status_code == 200


@pytest.mark.django_db
def test_health_is_never_cached_and_takes_no_writes(client):
    response = client.get("/health/web/")
    assert "no-store" in response.headers["Cache-Control"]
    assert client.post("/health/").status_code == 405
