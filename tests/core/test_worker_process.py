"""A real worker process reports itself while it runs (the heartbeat other workers read to tell it is
alive) and, stopped with SIGTERM, says it is gone."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from kommunedialog.core.models import TaskWorker
from tests.workers import WORKER_DEADLINE_SECONDS, Workers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wait_for(condition, what: str, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"{what}:\n{workers.log_text()}"
        time.sleep(0.1)


def test_a_running_worker_reports_itself_and_a_stopped_one_is_gone(tmp_path: Path):
    workers = Workers(tmp_path)
    process = workers.start("--worker-id", "heartbeat-test", TASKS_WORKER_TIMEOUT_SECONDS="10")
    try:
        wait_for(lambda: TaskWorker.objects.filter(worker_id="heartbeat-test").exists(), "no report", workers)
        first = TaskWorker.objects.get(worker_id="heartbeat-test")
        assert first.pid == process.pid
        # Every sixth of the timeout (here 1.7 s) the heartbeat reports again.
        wait_for(
            lambda: TaskWorker.objects.get(worker_id="heartbeat-test").seen_at > first.seen_at, "no heartbeat", workers
        )
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WORKER_DEADLINE_SECONDS) == 0, workers.log_text()
        assert not TaskWorker.objects.filter(worker_id="heartbeat-test").exists()
    finally:
        workers.stop_all()
