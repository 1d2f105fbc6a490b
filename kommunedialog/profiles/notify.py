"""E-mail to the municipality about its kommunebilde, composed and sent by the tasks in profiles/tasks.py
through the outbox (kommunedialog.core.outbox): each address gets each notice once, however often its
task runs. Written in the municipality's målform (språklova); the mail says what happened and by when,
never the kommunebilde's content."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.core import outbox
from kommunedialog.profiles.models import Profile
from kommunedialog.profiles.states import State

# The reminder goes this many days before the consultation deadline (or on a later day, if the scheduler
# missed that one), to municipalities that have not responded.
REMIND_DAYS_BEFORE_DEADLINE = 5


def _profile(profile_id: int) -> Profile:
    return Profile.objects.select_related("municipality", "cycle__office").get(pk=profile_id)


def _values(profile: Profile) -> dict[str, str]:
    return {
        "office": profile.cycle.office.name,
        "municipality": profile.municipality.name_norwegian,
        "cycle": profile.cycle.name,
        "deadline": date_format(profile.consultation_deadline) if profile.consultation_deadline else "",
    }


def consultation_opened(*, profile_id: int) -> int:
    """The kommunebilde is on consultation, and the deadline. Once per profile (it is sent on consultation
    once). Returns the mails sent by this call."""
    profile = _profile(profile_id)
    return outbox.send_once(
        purpose="profiles.consultation_opened",
        about=profile,
        recipients=access.municipality_user_emails(profile.municipality),
        language=profile.municipality.written_language,
        compose=lambda: (
            _("Kommunebilde on consultation: %(municipality)s") % _values(profile),
            _(
                "%(office)s has sent the kommunebilde for %(municipality)s (%(cycle)s) on consultation. "
                "Deadline for your response: %(deadline)s."
            )
            % _values(profile),
        ),
    )


def consultation_deadline_near(*, profile_id: int) -> int:
    """The deadline is near and no response has come. Once per profile and deadline: a deadline moved by
    reopening the consultation is reminded of again."""
    profile = _profile(profile_id)
    return outbox.send_once(
        purpose="profiles.consultation_deadline_near",
        about=profile,
        occasion=f"{profile.consultation_deadline:%Y-%m-%d}",
        recipients=access.municipality_user_emails(profile.municipality),
        language=profile.municipality.written_language,
        compose=lambda: (
            _("Consultation deadline %(deadline)s: kommunebilde for %(municipality)s") % _values(profile),
            _(
                "%(office)s has not yet received your response to the kommunebilde for %(municipality)s "
                "(%(cycle)s). The deadline is %(deadline)s. Log in to Kommunedialog to respond."
            )
            % _values(profile),
        ),
    )


def profiles_to_remind(today: dt.date) -> list[int]:
    """Profiles on consultation whose deadline is at most ``REMIND_DAYS_BEFORE_DEADLINE`` days away and not
    past, with no response submitted."""
    return list(
        Profile.objects.filter(
            state=State.CONSULTATION,
            consultation_deadline__gte=today,
            consultation_deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE_DEADLINE),
        )
        .exclude(consultation_responses__submitted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
