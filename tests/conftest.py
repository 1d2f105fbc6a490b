"""Shared fixtures. The register is imported once per test session from the real files in ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus, task_backends
from django.tasks.signals import task_finished
from django.test.signals import setting_changed

from tests.factories import UserFactory
from tests.workers import refused_smtp_url

IN_CI = os.environ.get("CI") == "true"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs this test on PostgreSQL; DATABASE_URL does not point at one")
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


def reset_task_backends(*, setting: str, **kwargs: object) -> None:
    # Django forgets its cache and mail backends when a test changes their settings, not yet its task
    # backends; this does the same for TASKS.
    if setting == "TASKS":
        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)


setting_changed.connect(reset_task_backends)


def shared_data() -> Path:
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "klass").is_dir():
        pytest.exit(f"The tests read the real data in {path} (../shared/data beside the checkout); it is missing.", 2)
    return path


def load_register() -> None:
    call_command("import_registry", source=shared_data(), stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_register()


@pytest.fixture(autouse=True)
def default_language_after_each_test():  # type: ignore[no-untyped-def]
    # A request through LocaleMiddleware leaves its language active in the thread; reset it so a test
    # never depends on which test ran before it.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    # Each test rolls the database back, content version included, while a process cache would keep
    # pages rendered for the previous test's content under it.
    from django.core.cache import cache

    from kommunedialog.core import pagecache

    cache.clear()
    pagecache.forget_local()


@pytest.fixture(autouse=True)
def task_failures(settings):  # type: ignore[no-untyped-def]
    """Tasks run where they are enqueued (ImmediateBackend), so a test sees their effect at once; the
    worker tests (tests/core/test_worker.py) queue them in the database instead. The immediate backend
    records a failed task and goes on, so a task that fails fails the test too, unless the test takes
    this list and empties it."""
    settings.TASKS = IMMEDIATE_TASKS
    failures: list[str] = []

    def record(sender: object, task_result, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(f"{task_result.task.name}: {task_result.errors[-1].traceback}")

    task_finished.connect(record, weak=False, dispatch_uid="tests-task-failures")
    yield failures
    task_finished.disconnect(dispatch_uid="tests-task-failures")
    assert not failures, "A task failed:\n" + "\n".join(failures)


class MailServer:
    """Switches the test's mail between Django's test mailbox and a real SMTP client talking to a port on
    this machine where nothing listens, so every send is refused as by a mail server that is down."""

    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.mailbox = settings.MAILERS

    def down(self) -> None:
        port = int(refused_smtp_url().rsplit(":", 1)[1])
        backend = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
        self.settings.MAILERS = {"default": {**backend, "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}

    def up(self) -> None:
        self.settings.MAILERS = self.mailbox


@pytest.fixture
def mail_server(settings) -> MailServer:  # type: ignore[no-untyped-def]
    return MailServer(settings)


@pytest.fixture(autouse=True)
def api_rate_limit_off(settings):  # type: ignore[no-untyped-def]
    # The suite asks the API more often than any client may; tests/api/test_http.py turns the limit on.
    settings.API_RATE_LIMIT = 0


@pytest.fixture(autouse=True)
def uploads_in_a_temporary_folder(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    # Uploaded files and cached PDFs never land in the checkout.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture
def staff_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(role="staff", office="rogaland")
