"""Real task workers for the tests: ``manage.py task_worker`` in its own process, on the test database, its
mail written to files the test reads (Django's file-based mail backend) and its files under the test's
MEDIA_ROOT. Nothing is waited for by sleeping a fixed time: a worker is run in batch mode (it exits when
the queue is empty) or, to be killed in the middle of a task, until it reports the checkpoint it stopped at."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

DATABASE_TASKS = {"default": {"BACKEND": "kommunedialog.core.task_backend.DatabaseBackend"}}
# How long a worker may take to start, run its tasks (a PDF render among them) and stop, on a loaded machine.
WORKER_DEADLINE_SECONDS = 120


def refused_smtp_url() -> str:
    """An SMTP server that is down: a port on this machine where nothing listens (free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"smtp://127.0.0.1:{port}"


def database_url() -> str:
    """The test database (not the one DATABASE_URL names: pytest-django made its own) as a URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


@dataclass
class Workers:
    """Starts workers on the test database; ``mail_url`` says where their mail goes (files by default)."""

    directory: Path
    mail_url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mailbox = self.directory / "mail"
        self.checkpoints = self.directory / "checkpoints"
        self.checkpoints.mkdir(parents=True, exist_ok=True)
        self.mail_url = self.mail_url or f"filemail:///{self.mailbox}"

    def _environment(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": database_url(),
            "EMAIL_URL": self.mail_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SHARED_DATA_DIR": str(settings.SHARED_DATA_DIR),
            "TASKS_BACKEND": "database",
            "TASKS_PAUSE_AT": "",
            "DEBUG": "false",
            **self.env,
            **extra,
        }

    def start(self, *args: str, **extra_env: str) -> subprocess.Popen[bytes]:
        log = self.directory / f"worker-{len(self.started) + 1}.log"
        command = [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
        process = subprocess.Popen(  # noqa: S603 - this interpreter, manage.py and fixed arguments
            [*command, *args],
            cwd=settings.BASE_DIR,
            env=self._environment(**extra_env),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        self.logs.append(log)
        return process

    def run_batch(self, **extra_env: str) -> subprocess.Popen[bytes]:
        """A worker that runs every task that is ready, then exits."""
        process = self.start("--batch", **extra_env)
        code = process.wait(timeout=WORKER_DEADLINE_SECONDS)
        assert code == 0, self.log_text()
        return process

    def start_paused_at(self, checkpoint: str) -> subprocess.Popen[bytes]:
        """A worker that stops at ``checkpoint``; returns once it is there (it has written its marker)."""
        process = self.start(TASKS_PAUSE_AT=f"{checkpoint}:{self.checkpoints}")
        marker = self.checkpoints / f"{checkpoint}.{process.pid}"
        deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
        while not marker.exists():
            assert process.poll() is None, f"the worker ended before {checkpoint}:\n{self.log_text()}"
            assert time.monotonic() < deadline, f"the worker did not reach {checkpoint}:\n{self.log_text()}"
            time.sleep(0.05)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """kill -9, and reap the process so its id is gone from this host."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=WORKER_DEADLINE_SECONDS)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill(process)

    def log_text(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')}" for log in self.logs if log.exists())

    def mails(self) -> list[tuple[str, str]]:
        """Every mail the workers sent, as (recipient, subject), in no particular order."""
        found = []
        for path in sorted(self.mailbox.glob("*")) if self.mailbox.exists() else []:
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    message = email.message_from_bytes(raw.lstrip(), policy=email.policy.default)
                    found.append((str(message["To"]), str(message["Subject"])))
        return sorted(found)
