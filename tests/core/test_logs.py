"""Structured logs: JSON lines with a request id that follows the request into the tasks it queues, and
no personal data."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from kommunedialog.core.logs import ContextFilter, JsonFormatter
from kommunedialog.core.models import TaskOrigin
from kommunedialog.profiles import pdf, services
from kommunedialog.profiles.models import Assessment, Profile, PublishedProfile, Rating
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Office
from tests.factories import PASSWORD, UserFactory
from tests.workers import DATABASE_TASKS, Workers

LOGIN = "/konto/logg-inn/"


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def requests(self) -> list[dict[str, object]]:
        return [line for line in self.lines() if line["logger"] == "kommunedialog.request"]


@pytest.fixture
def json_log() -> Iterator[Captured]:
    """Every line logged during the test, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield Captured(stream)
    root.removeHandler(handler)
    root.setLevel(level)


def publish_hjelmeland() -> PublishedProfile:
    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name="Kommunebilde 2026", year=2026
    )
    profile = cycle.profiles.get(municipality__number="1133")
    Assessment.objects.filter(profile=profile).update(rating=Rating.IMPROVEMENT, justification="Demonstrasjonstekst.")
    Profile.objects.filter(pk=profile.pk).update(
        state=State.MEETING_HELD, overall_picture="Demonstrasjon.", meeting_held_on=dt.date(2026, 10, 1)
    )
    services.profile_publish(profile=profile, actor=coordinator)
    return PublishedProfile.objects.get(profile=profile)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_and_the_task_it_queued_log_the_same_request_id(client, json_log, settings, tmp_path: Path):
    from tests.conftest import load_register

    load_register()  # transaction=True tests start from an empty database
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_TASKS
    snapshot = publish_hjelmeland()
    DBTaskResult.objects.all().delete()  # the render publishing queued (not from a request) is dropped

    response = client.get("/kommuner/1133/kommunebilde.pdf")
    assert response.status_code == 202  # being prepared: the request queued the render
    request_id = response.headers["X-Request-ID"]
    [request_line] = json_log.requests()
    assert (request_line["request_id"], request_line["path"], request_line["status"]) == (
        request_id,
        "/kommuner/1133/kommunebilde.pdf",
        202,
    )
    [queued] = DBTaskResult.objects.all()
    assert TaskOrigin.objects.get(task_result=queued).request_id == request_id

    workers = Workers(tmp_path / "workers")
    try:
        workers.run_batch(LOG_FORMAT="json")
    finally:
        workers.stop_all()
    assert pdf.cache_path(snapshot, pdf.language_for(snapshot)).exists()
    task_lines = [
        json.loads(line)
        for line in workers.log_text().splitlines()
        if line.startswith("{") and json.loads(line).get("task_id") == str(queued.pk)
    ]
    assert {line["request_id"] for line in task_lines} == {request_id}
    assert [line["message"] for line in task_lines if line["logger"] == "django.tasks"] == [
        f"Task id={queued.pk} path=kommunedialog.profiles.tasks.render_snapshot_pdf state=RUNNING",
        f"Task id={queued.pk} path=kommunedialog.profiles.tasks.render_snapshot_pdf state=SUCCESSFUL",
    ]


@pytest.mark.django_db
def test_tasks_queued_outside_a_request_have_no_origin(settings):
    settings.TASKS = DATABASE_TASKS
    from kommunedialog.core.tasks import deliver_outbox

    deliver_outbox.enqueue()
    assert DBTaskResult.objects.count() == 1
    assert not TaskOrigin.objects.exists()


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_anything_else_replaced(client, json_log):
    nginx_id = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
    assert client.get("/", HTTP_X_REQUEST_ID=nginx_id).headers["X-Request-ID"] == nginx_id
    forged = client.get("/", HTTP_X_REQUEST_ID='x" \n{"level": "ERROR"}').headers["X-Request-ID"]
    assert len(forged) == 32
    assert all(c in "0123456789abcdef" for c in forged)
    assert [line["request_id"] for line in json_log.requests()] == [nginx_id, forged]


@pytest.mark.django_db
def test_logs_hold_no_personal_data(client, json_log):
    """A lockout, a login and a search by name: the log says what happened, never who or from where."""
    person = UserFactory(username="kari.nordmann", email="kari.nordmann@hjelmeland.example.invalid")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": person.username, "password": "feil-passord-123"}, REMOTE_ADDR="198.51.100.7")
    assert (
        client.post(LOGIN, {"username": person.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9").status_code
        == 302
    )
    client.get("/sok/?q=Kari+Nordmann", REMOTE_ADDR="203.0.113.9")
    for personal in ("kari", "Kari", "Nordmann", "198.51.100.7", "203.0.113.9", "feil-passord", PASSWORD, "q="):
        assert personal not in json_log.text
    assert "AXES: Locking out a client of /konto/logg-inn/ after repeated login failures." in [
        line["message"] for line in json_log.lines()
    ]
    statuses = [(line["method"], line["path"], line["status"]) for line in json_log.requests()]
    assert statuses == [("POST", LOGIN, 200)] * 4 + [("POST", LOGIN, 429), ("POST", LOGIN, 302), ("GET", "/sok/", 200)]
    assert all(isinstance(line["duration_ms"], float) for line in json_log.requests())
