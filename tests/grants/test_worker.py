"""The decision's background work run by real task workers (``manage.py task_worker`` processes) on the
database backend and PostgreSQL: the letter is rendered once and each municipality user mailed once,
whether the task runs once, fails and is retried, is run again, or its worker is killed in the middle.

The municipality has two users, so a worker killed between the two mails shows that the first is not
sent again and the second is sent by the worker that takes over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kommunedialog.core import checkpoints
from kommunedialog.core.models import OutboxMail, TaskWorker
from kommunedialog.grants import letter, services
from kommunedialog.grants.models import Decision
from tests.factories import UserFactory, close_call
from tests.workers import DATABASE_TASKS, Workers, refused_smtp_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBJECT = "Vedtak om søknaden dykkar om skjønsmidlar"  # Hjelmeland writes nynorsk
RECIPIENTS = ["hjelmeland@example.invalid", "radmann@hjelmeland.example.invalid"]


@pytest.fixture(autouse=True)
def register_for_transactional_tests(django_db_blocker):  # type: ignore[no-untyped-def]
    # transaction=True tests start from an empty database; the register is loaded again for them.
    from tests.conftest import load_register

    load_register()


@pytest.fixture
def workers(tmp_path: Path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    found = Workers(tmp_path / "workers")
    yield found
    found.stop_all()


@pytest.fixture
def decided(application_in, people, settings) -> Decision:  # type: ignore[no-untyped-def]
    """A rejected application whose announcement (letter, then mail) is queued in the database, not run."""
    UserFactory(role="municipality_user", municipality="1133", email=RECIPIENTS[1])
    application = application_in("recommended")
    close_call(application.call)
    settings.TASKS = DATABASE_TASKS
    services.application_reject(application=application, actor=people["coordinator"], reasons="Nei.")
    return Decision.objects.get(application=application)


def decision_outbox():  # type: ignore[no-untyped-def]
    return OutboxMail.objects.filter(purpose="grants.application_decided")


def the_task() -> DBTaskResult:  # type: ignore[type-arg]
    [result] = DBTaskResult.objects.filter(task_path="kommunedialog.grants.tasks.announce_decision")
    return result


def letters(decision: Decision) -> list[Path]:
    return sorted(letter.cache_path(decision).parent.glob("*"))


def decision_mails(workers: Workers) -> list[str]:
    return [to for to, subject in workers.mails() if subject == SUBJECT]


def test_the_decision_is_queued_on_commit_and_run_by_a_worker(decided, workers):
    queued = the_task()
    assert (queued.status, queued.args_kwargs) == (
        TaskResultStatus.READY,
        {"args": [], "kwargs": {"decision_id": decided.pk}},
    )
    assert letters(decided) == []  # nothing rendered in the request
    workers.run_batch()
    done = the_task()
    assert (done.status, len(done.worker_ids), done.return_value) == (
        TaskResultStatus.SUCCESSFUL,
        1,
        str(letter.cache_path(decided)),
    )
    assert letters(decided) == [letter.cache_path(decided)]
    assert decision_mails(workers) == RECIPIENTS
    assert TaskWorker.objects.count() == 0  # a worker that stops says so


def test_a_failed_task_is_tried_again_later_and_a_second_run_sends_nothing_new(decided, workers):
    workers.run_batch(EMAIL_URL=refused_smtp_url(), TASKS_RETRY_DELAY_SECONDS="3600")
    waiting = the_task()
    assert waiting.status == TaskResultStatus.READY
    assert waiting.exception_class_path == "builtins.ConnectionRefusedError"
    assert len(waiting.worker_ids) == 1
    delay = waiting.run_after - timezone.now()
    assert dt.timedelta(minutes=59) < delay <= dt.timedelta(hours=1)
    [pdf] = letters(decided)  # the letter was rendered before the mail failed
    rendered = pdf.stat().st_mtime_ns
    assert list(decision_outbox().order_by("recipient").values_list("recipient", "sent_at", "attempts")) == [
        (RECIPIENTS[0], None, 1),
        (RECIPIENTS[1], None, 1),
    ]

    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # the hour has passed
    workers.run_batch()
    done = the_task()
    assert (done.status, len(done.worker_ids), done.exception_class_path) == (TaskResultStatus.SUCCESSFUL, 2, "")
    assert decision_mails(workers) == RECIPIENTS
    assert letters(decided) == [pdf]
    assert pdf.stat().st_mtime_ns == rendered  # not rendered again

    # The same announcement queued and run a second time: nothing new.
    from kommunedialog.grants import tasks

    tasks.announce_decision.enqueue(decision_id=decided.pk)
    workers.run_batch()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert decision_mails(workers) == RECIPIENTS
    assert letters(decided) == [pdf]
    assert pdf.stat().st_mtime_ns == rendered


def test_after_the_last_try_the_task_is_failed_and_the_mail_waits_in_the_outbox(decided, workers):
    workers.run_batch(EMAIL_URL=refused_smtp_url(), TASKS_MAX_ATTEMPTS="1")
    failed = the_task()
    assert (failed.status, failed.exception_class_path) == (TaskResultStatus.FAILED, "builtins.ConnectionRefusedError")
    assert "Connection refused" in failed.traceback
    assert decision_outbox().filter(sent_at__isnull=True).count() == 2
    assert workers.mails() == []


@pytest.mark.parametrize(
    "checkpoint",
    [checkpoints.PDF_WRITTEN, checkpoints.PDF_IN_PLACE, checkpoints.MAIL_SENT],
)
def test_a_worker_killed_in_the_middle_of_the_task_the_next_one_finishes_it_exactly_once(decided, workers, checkpoint):
    first = workers.start_paused_at(checkpoint)
    running = the_task()
    assert running.status == TaskResultStatus.RUNNING
    [first_id] = running.worker_ids
    before_kill = {p.name: p.stat().st_mtime_ns for p in letters(decided)}
    mailed_before = decision_mails(workers)
    workers.kill(first)

    assert the_task().status == TaskResultStatus.RUNNING  # as the killed worker left it
    assert TaskWorker.objects.filter(worker_id=first_id).exists()
    workers.run_batch()  # starts, finds the task abandoned, queues it again and runs it

    done = the_task()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.worker_ids[0] == first_id
    assert len(done.worker_ids) == 2
    assert decision_mails(workers) == RECIPIENTS  # each user once
    assert decision_outbox().filter(sent_at__isnull=False).count() == 2
    assert letters(decided) == [letter.cache_path(decided)]  # one letter, no partial file left
    assert not TaskWorker.objects.filter(worker_id=first_id).exists()  # the dead worker is forgotten
    if checkpoint == checkpoints.PDF_WRITTEN:
        assert list(before_kill) == [letter.cache_path(decided).with_suffix(".part").name]
        assert mailed_before == []
    elif checkpoint == checkpoints.PDF_IN_PLACE:
        assert before_kill == {letter.cache_path(decided).name: letters(decided)[0].stat().st_mtime_ns}
        assert mailed_before == []
    else:
        assert mailed_before == RECIPIENTS[:1]  # the first mail went before the kill, and not again
