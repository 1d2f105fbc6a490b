"""The scheduled work: report reminders before and after the due date, once each, to the municipality's
users in its målform; the grants_tick command and task; the decision letter task."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kommunedialog.core.models import AuditEvent, OutboxMail
from kommunedialog.grants import letter, notify, scheduled, services, tasks
from kommunedialog.grants.models import Report, ReportReminder
from kommunedialog.registry.models import Municipality
from tests.factories import UserFactory, write_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(application_in):
    application = application_in("approved")
    return application.project.reports.get(kind="final")


def due_in(report: Report, days: int) -> Report:
    Report.objects.filter(pk=report.pk).update(due_on=timezone.localdate() + dt.timedelta(days=days))
    report.refresh_from_db()
    return report


def run_reminders(django_capture_on_commit_callbacks) -> list[ReportReminder]:
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_reminders_send()


def test_no_reminder_long_before_the_due_date(report, django_capture_on_commit_callbacks):
    due_in(report, 30)
    Report.objects.exclude(pk=report.pk).delete()
    assert run_reminders(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_one_reminder_before_and_one_after_the_due_date(report, people, django_capture_on_commit_callbacks):
    Report.objects.exclude(pk=report.pk).delete()
    UserFactory(role="municipality_user", municipality="1133", email="")  # no address, no mail
    due_in(report, 10)
    sent = run_reminders(django_capture_on_commit_callbacks)
    assert [(r.kind, r.recipients) for r in sent] == [("before", 1)]
    assert [m.to for m in mail.outbox] == [["hjelmeland@example.invalid"]]
    assert run_reminders(django_capture_on_commit_callbacks) == []  # the same day again: nothing new
    due_in(report, -1)
    sent = run_reminders(django_capture_on_commit_callbacks)
    assert [r.kind for r in sent] == ["after"]
    assert len(mail.outbox) == 2
    assert run_reminders(django_capture_on_commit_callbacks) == []
    assert AuditEvent.objects.filter(action="grant_report_reminder").count() == 2


def test_a_reminder_the_mail_server_refused_is_sent_again_by_a_later_run(
    report, people, django_capture_on_commit_callbacks, mail_server, task_failures
):
    Report.objects.exclude(pk=report.pk).delete()
    due_in(report, 10)
    mail_server.down()
    run_reminders(django_capture_on_commit_callbacks)  # the task fails; other reminders would go on
    assert [f.split(":")[0] for f in task_failures] == ["mail_report_reminder"]
    task_failures.clear()
    [reminder] = ReportReminder.objects.all()
    assert reminder.delivered_at is None
    [waiting] = OutboxMail.objects.filter(purpose="grants.report_reminder")
    assert (waiting.recipient, waiting.sent_at, waiting.attempts) == ("hjelmeland@example.invalid", None, 1)
    assert waiting.last_error.startswith("ConnectionRefusedError")
    mail_server.up()
    assert run_reminders(django_capture_on_commit_callbacks) == []  # too soon: it may still be under way
    assert mail.outbox == []
    ReportReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now() - dt.timedelta(hours=2))
    assert [r.pk for r in run_reminders(django_capture_on_commit_callbacks)] == [reminder.pk]
    assert [m.to for m in mail.outbox] == [["hjelmeland@example.invalid"]]
    reminder.refresh_from_db()
    assert reminder.delivered_at is not None
    waiting.refresh_from_db()
    assert (waiting.sent_at is not None, waiting.attempts, waiting.last_error) == (True, 2, "")
    assert run_reminders(django_capture_on_commit_callbacks) == []
    assert ReportReminder.objects.count() == 1
    assert OutboxMail.objects.count() == 1


def test_a_moved_due_date_gets_its_own_reminders(report, django_capture_on_commit_callbacks):
    Report.objects.exclude(pk=report.pk).delete()
    due_in(report, 5)
    run_reminders(django_capture_on_commit_callbacks)
    due_in(report, 7)  # e.g. after an approved change request
    assert [r.kind for r in run_reminders(django_capture_on_commit_callbacks)] == ["before"]


def test_delivered_reports_are_not_reminded(report, people, django_capture_on_commit_callbacks):
    Report.objects.exclude(pk=report.pk).delete()
    report = due_in(report, -3)
    report = write_report(report, people["applicant"])
    services.report_submit(report=report, actor=people["applicant"])
    mail.outbox.clear()
    assert run_reminders(django_capture_on_commit_callbacks) == []


def test_the_tick_command_and_task(report):
    Report.objects.exclude(pk=report.pk).delete()
    due_in(report, 3)
    out = io.StringIO()
    call_command("grants_tick", stdout=out)
    assert out.getvalue().splitlines() == ["0 calls closed", "1 report reminders recorded"]
    result = scheduled.grants_tick.enqueue()
    assert result.return_value == {"calls_closed": 0, "reminders_sent": 0}


def test_mail_follows_the_municipalitys_written_language(application_in, people):
    forms = {n: Municipality.objects.current().get(number=n) for n in ("1133", "1106", "1103")}
    assert [(m.language_form, notify.language_for(m)) for m in forms.values()] == [
        ("nynorsk", "nn"),
        ("bokmaal", "nb"),
        ("neutral", "nb"),
    ]
    application = application_in("returned")
    mail.outbox.clear()
    tasks.mail_application_returned.enqueue(application_id=application.pk)
    tasks.mail_application_submitted.enqueue(application_id=application.pk)
    # Hjelmeland in nynorsk; the office (its staff and coordinator) in bokmål.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["hjelmeland@example.invalid"], "Søknaden dykkar om skjønsmidlar er returnert for retting"),
        (["kari@example.invalid"], "Søknad om skjønnsmidler mottatt fra Hjelmeland"),
        (["sindre@example.invalid"], "Søknad om skjønnsmidler mottatt fra Hjelmeland"),
    ]


def test_the_decision_is_mailed_to_the_municipality(application_in, people, django_capture_on_commit_callbacks):
    application = application_in("recommended")
    from tests.factories import close_call

    close_call(application.call)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(application=application, actor=people["coordinator"], reasons="Nei.")
    assert [m.to for m in mail.outbox] == [["hjelmeland@example.invalid"]]
    assert "Nei." not in mail.outbox[0].body  # the mail points to the case; the reasons stay in it
    assert letter.cache_path(application.decision).exists()  # rendered by the task after commit


def test_the_letter_refuses_to_fetch_anything():
    for url in ("file:///etc/passwd", "https://example.org/logo.png"):
        with pytest.raises(letter.RefusedFetch):
            letter.refuse_fetch(url)


def test_a_letter_not_yet_rendered_is_being_prepared_not_rendered_in_the_request(application_in, people, settings):
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from tests.workers import DATABASE_TASKS

    application = application_in("approved")
    letter.cache_path(application.decision).unlink(missing_ok=True)
    settings.TASKS = DATABASE_TASKS
    web = Client()
    web.force_login(people["applicant"])
    for _ in range(2):
        response = web.get(f"/skjonn/soknad/{application.pk}/vedtaksbrev.pdf")
        assert response.status_code == 202
        assert "Dokumentet blir laget. Det er vanligvis klart innen ett minutt." in response.content.decode()  # bokmål
    assert not letter.cache_path(application.decision).exists()
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.args_kwargs["kwargs"]) == (
        "kommunedialog.grants.tasks.render_decision_letter",
        {"decision_id": application.decision.pk},
    )
