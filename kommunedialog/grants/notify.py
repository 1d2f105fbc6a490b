"""E-mail to the parties of a grant case, composed and sent by the tasks in grants/tasks.py through the
outbox (kommunedialog.core.outbox): each recipient gets a notice once, however often its task runs.
Municipalities are written to in their own målform (språklova); the office gets bokmål. Mails say what
happened and where to look, never the case's content, so a misdirected mail reveals little.

``occasion`` tells one happening from another of the same kind about the same object (a second return
for correction is a new notice): the tasks pass their own task id, so a task run again is the same
occasion. Notices that can happen once per object (the decision, a reminder) need none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.accounts.models import OFFICE_ROLES, RoleAssignment
from kommunedialog.core import outbox
from kommunedialog.grants.models import Application, Decision, Report, ReportReminder
from kommunedialog.grants.states import ApplicationState
from kommunedialog.registry.models import Municipality, Office


def language_for(municipality: Municipality) -> str:
    return municipality.written_language


def municipality_recipients(municipality: Municipality) -> list[str]:
    return access.municipality_user_emails(municipality)


def office_recipients(office: Office) -> list[str]:
    return sorted(
        set(
            RoleAssignment.objects.filter(role__in=sorted(OFFICE_ROLES), office=office)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _send(
    purpose: str,
    about: models.Model,
    recipients: list[str],
    language: str,
    compose: Callable[[], tuple[str, str]],
    occasion: str = "",
) -> int:
    return outbox.send_once(
        purpose=f"grants.{purpose}",
        about=about,
        occasion=occasion,
        recipients=recipients,
        language=language,
        compose=compose,
    )


def _application(application_id: int) -> Application:
    return Application.objects.select_related("municipality", "call__office").get(pk=application_id)


def _values(application: Application) -> dict[str, str]:
    return {
        "office": application.call.office.name,
        "municipality": application.municipality.name_norwegian,
        "title": application.display_title,
        "call": application.call.title,
    }


def _to_municipality(
    purpose: str,
    about: models.Model,
    application: Application,
    compose: Callable[[dict[str, str]], tuple[str, str]],
    occasion: str = "",
) -> int:
    return _send(
        purpose,
        about,
        municipality_recipients(application.municipality),
        language_for(application.municipality),
        lambda: compose(_values(application)),
        occasion,
    )


def application_submitted(*, application_id: int, occasion: str) -> int:
    application = _application(application_id)
    return _send(
        "application_submitted",
        application,
        office_recipients(application.call.office),
        settings.LANGUAGE_CODE,
        lambda: (
            _("Grant application received from %(municipality)s") % _values(application),
            _("%(municipality)s has submitted “%(title)s” to the call “%(call)s”.") % _values(application),
        ),
        occasion,
    )


def application_returned(*, application_id: int, occasion: str) -> int:
    application = _application(application_id)
    return _to_municipality(
        "application_returned",
        application,
        application,
        lambda v: (
            _("Your grant application is returned for correction"),
            _(
                "%(office)s has returned “%(title)s” for correction. Log in to Kommunedialog to see what "
                "must be corrected, and send the application again."
            )
            % v,
        ),
        occasion,
    )


def information_requested(*, application_id: int, occasion: str) -> int:
    application = _application(application_id)
    return _to_municipality(
        "information_requested",
        application,
        application,
        lambda v: (
            _("The County Governor asks for more information"),
            _("%(office)s asks for more information about “%(title)s”. Log in to Kommunedialog to answer.") % v,
        ),
        occasion,
    )


def call_deadline_moved(*, call_id: int, occasion: str) -> int:
    """Every municipality that has started an application in the call (and not yet sent it) hears of the
    new deadline, each in its own målform."""
    sent = 0
    started = Application.objects.filter(
        call_id=call_id, state__in=[ApplicationState.DRAFT, ApplicationState.RETURNED]
    ).select_related("municipality", "call__office")
    for application in started:
        deadline = application.call.deadline

        def compose(v: dict[str, str], deadline: dt.date = deadline) -> tuple[str, str]:
            return (
                _("New deadline for the call “%(call)s”") % v,
                _(
                    "%(office)s has moved the deadline of the call “%(call)s” to %(deadline)s. Your application "
                    "“%(title)s” is not submitted yet; log in to Kommunedialog to finish it."
                )
                % {**v, "deadline": date_format(deadline)},
            )

        sent += _to_municipality("call_deadline_moved", application, application, compose, occasion)
    return sent


def application_decided(*, decision: Decision) -> int:
    """Once per decision: the letter is ready (the task renders it first)."""
    return _to_municipality(
        "application_decided",
        decision,
        decision.application,
        lambda v: (
            _("Decision on your grant application"),
            _(
                "%(office)s has decided on “%(title)s”. The decision letter is ready in Kommunedialog, "
                "in your municipality's written language."
            )
            % v,
        ),
    )


def _report(report_id: int) -> Report:
    return Report.objects.select_related(
        "project__application__municipality", "project__application__call__office"
    ).get(pk=report_id)


def report_submitted(*, report_id: int, occasion: str) -> int:
    report = _report(report_id)
    application = report.project.application
    return _send(
        "report_submitted",
        report,
        office_recipients(application.call.office),
        settings.LANGUAGE_CODE,
        lambda: (
            _("Project report received from %(municipality)s") % _values(application),
            _("%(municipality)s has submitted a report on “%(title)s”.") % _values(application),
        ),
        occasion,
    )


def report_returned(*, report_id: int, occasion: str) -> int:
    report = _report(report_id)
    return _to_municipality(
        "report_returned",
        report,
        report.project.application,
        lambda v: (
            _("Your project report is returned for correction"),
            _("%(office)s has returned a report on “%(title)s” for correction. Log in to Kommunedialog to see why.")
            % v,
        ),
        occasion,
    )


def report_reminder(*, reminder_id: int) -> int:
    reminder = ReportReminder.objects.select_related("report").get(pk=reminder_id)
    report = _report(reminder.report_id)

    def compose(v: dict[str, str]) -> tuple[str, str]:
        values = {**v, "due": date_format(reminder.due_on), "kind": str(report.get_kind_display()).lower()}
        if reminder.kind == "after":
            return (
                _("Project report overdue"),
                _("The %(kind)s on “%(title)s” was due %(due)s and has not been submitted.") % values,
            )
        return (
            _("Project report due soon"),
            _("The %(kind)s on “%(title)s” is due %(due)s. Log in to Kommunedialog to write and submit it.") % values,
        )

    sent = _to_municipality("report_reminder", reminder, report.project.application, compose)
    ReportReminder.objects.filter(pk=reminder.pk).update(delivered_at=timezone.now())
    return sent
