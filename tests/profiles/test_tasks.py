"""The kommunebilde's background work: the consultation notice once per profile, and the reminder before
the consultation deadline to municipalities that have not responded, once per deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kommunedialog.core.models import OutboxMail
from kommunedialog.profiles import notify, tasks
from kommunedialog.profiles.models import ConsultationResponse, Profile
from kommunedialog.profiles.workflow import State
from kommunedialog.registry.models import Office
from tests.factories import UserFactory
from tests.formats import MONTHS_NN

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_consultation():  # type: ignore[no-untyped-def]
    """Hjelmeland (nynorsk) and Suldal (bokmål) on consultation, each with one user; Sauda has no address."""
    from kommunedialog.profiles import services

    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name="Kommunebilde 2026", year=2026
    )
    UserFactory(role="municipality_user", municipality="1133", email="post@hjelmeland.example.invalid")
    UserFactory(role="municipality_user", municipality="1134", email="post@suldal.example.invalid")
    profiles = {p.municipality.number: p for p in cycle.profiles.filter(municipality__number__in=["1133", "1134"])}
    Profile.objects.filter(pk__in=[p.pk for p in profiles.values()]).update(state=State.CONSULTATION)
    return profiles


def deadline_in(profile: Profile, days: int) -> None:
    Profile.objects.filter(pk=profile.pk).update(consultation_deadline=timezone.localdate() + dt.timedelta(days=days))


def test_the_consultation_notice_goes_once_however_often_its_task_runs(on_consultation):
    hjelmeland = on_consultation["1133"]
    deadline_in(hjelmeland, 21)
    for _ in range(2):
        tasks.mail_consultation_opened.enqueue(profile_id=hjelmeland.pk)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["post@hjelmeland.example.invalid"], "Kommunebilde på høyring: Hjelmeland")
    ]


def test_the_deadline_reminder_goes_to_those_who_have_not_responded_once_per_deadline(on_consultation):
    hjelmeland, suldal = on_consultation["1133"], on_consultation["1134"]
    deadline_in(hjelmeland, notify.REMIND_DAYS_BEFORE_DEADLINE + 1)  # too early
    deadline_in(suldal, 2)
    ConsultationResponse.objects.create(profile=suldal, kind="overall", text="Svar.", submitted_at=timezone.now())
    assert tasks.consultation_reminders.enqueue().return_value == 0
    assert mail.outbox == []

    deadline_in(hjelmeland, notify.REMIND_DAYS_BEFORE_DEADLINE)
    assert tasks.consultation_reminders.enqueue().return_value == 1
    assert tasks.consultation_reminders.enqueue().return_value == 0  # the same day again: nothing new
    deadline = timezone.localdate() + dt.timedelta(days=notify.REMIND_DAYS_BEFORE_DEADLINE)
    [reminder] = mail.outbox
    assert (
        (reminder.to, reminder.subject)
        == (
            ["post@hjelmeland.example.invalid"],
            f"Høyringsfrist {deadline.day}. {MONTHS_NN[deadline.month - 1]} {deadline.year}: kommunebilete for Hjelmeland",  # nynorsk
        )
    )
    assert "har enno ikkje fått høyringssvaret dykkar" in reminder.body

    deadline_in(hjelmeland, 1)  # the consultation reopened with a new deadline: reminded of again
    assert tasks.consultation_reminders.enqueue().return_value == 1
    assert OutboxMail.objects.filter(purpose="profiles.consultation_deadline_near").count() == 2

    deadline_in(hjelmeland, -1)  # past: no reminder
    assert notify.profiles_to_remind(timezone.localdate()) == []
