"""E-mail to the parties of a grant case, sent after commit. Municipalities are written to in their own
målform (språklova); the office gets bokmål. Mails say what happened and where to look, never the
case's content, so a misdirected mail reveals little."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.accounts.models import OFFICE_ROLES, RoleAssignment
from kommunedialog.grants.models import Application, Report, ReportReminder
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


def _send(recipients: list[str], language: str, compose: Callable[[], tuple[str, str]]) -> int:
    if not recipients:
        return 0
    with translation.override(language):
        subject, body = compose()
    return send_mass_mail([(subject, body, None, [email]) for email in recipients])


def _application(application_id: int) -> Application:
    return Application.objects.select_related("municipality", "call__office").get(pk=application_id)


def _values(application: Application) -> dict[str, str]:
    return {
        "office": application.call.office.name,
        "municipality": application.municipality.name_norwegian,
        "title": application.display_title,
        "call": application.call.title,
    }


def _to_municipality(application: Application, compose: Callable[[dict[str, str]], tuple[str, str]]) -> int:
    return _send(
        municipality_recipients(application.municipality),
        language_for(application.municipality),
        lambda: compose(_values(application)),
    )


def application_submitted(*, application_id: int) -> int:
    application = _application(application_id)
    return _send(
        office_recipients(application.call.office),
        settings.LANGUAGE_CODE,
        lambda: (
            _("Grant application received from %(municipality)s") % _values(application),
            _("%(municipality)s has submitted “%(title)s” to the call “%(call)s”.") % _values(application),
        ),
    )


def application_returned(*, application_id: int) -> int:
    return _to_municipality(
        _application(application_id),
        lambda v: (
            _("Your grant application is returned for correction"),
            _(
                "%(office)s has returned “%(title)s” for correction. Log in to Kommunedialog to see what "
                "must be corrected, and send the application again."
            )
            % v,
        ),
    )


def information_requested(*, application_id: int) -> int:
    return _to_municipality(
        _application(application_id),
        lambda v: (
            _("The County Governor asks for more information"),
            _("%(office)s asks for more information about “%(title)s”. Log in to Kommunedialog to answer.") % v,
        ),
    )


def application_decided(*, application_id: int) -> int:
    return _to_municipality(
        _application(application_id),
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


def report_submitted(*, report_id: int) -> int:
    report = _report(report_id)
    application = report.project.application
    return _send(
        office_recipients(application.call.office),
        settings.LANGUAGE_CODE,
        lambda: (
            _("Project report received from %(municipality)s") % _values(application),
            _("%(municipality)s has submitted a report on “%(title)s”.") % _values(application),
        ),
    )


def report_returned(*, report_id: int) -> int:
    return _to_municipality(
        _report(report_id).project.application,
        lambda v: (
            _("Your project report is returned for correction"),
            _("%(office)s has returned a report on “%(title)s” for correction. Log in to Kommunedialog to see why.")
            % v,
        ),
    )


def report_reminder(*, reminder_id: int) -> int:
    reminder = ReportReminder.objects.select_related("report").get(pk=reminder_id)
    report = _report(reminder.report_id)

    def compose(v: dict[str, str]) -> tuple[str, str]:
        values = {**v, "due": f"{reminder.due_on:%d.%m.%Y}", "kind": str(report.get_kind_display()).lower()}
        if reminder.kind == "after":
            return (
                _("Project report overdue"),
                _("The %(kind)s on “%(title)s” was due %(due)s and has not been submitted.") % values,
            )
        return (
            _("Project report due soon"),
            _("The %(kind)s on “%(title)s” is due %(due)s. Log in to Kommunedialog to write and submit it.") % values,
        )

    sent = _to_municipality(report.project.application, compose)
    ReportReminder.objects.filter(pk=reminder.pk).update(delivered_at=timezone.now())
    return sent
