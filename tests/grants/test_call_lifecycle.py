"""A call's life on its page (issue 15): the deadline moved later while the call is open (audited, and
every municipality with an application started but not sent is told), closed by the coordinator once
the deadline has passed or by the scheduled task on its own, and the frame's use shown throughout."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import scheduled, services
from kommunedialog.grants.models import Call
from tests.factories import CallFactory, UserFactory, complete_application
from tests.formats import MONTHS_NB

pytestmark = pytest.mark.django_db


def english_client(user: Any) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


TODAY = timezone.localdate


def call_snapshot(call: Call) -> tuple:
    return model_to_dict(Call.objects.get(pk=call.pk)), AuditEvent.objects.count(), len(mail.outbox)


def test_the_coordinator_moves_the_deadline_later_and_started_applicants_are_told(
    call, people, application_in, django_capture_on_commit_callbacks
):
    draft = complete_application(call, applicant=people["applicant"])  # started, not submitted
    application_in("submitted")  # already in: nothing to tell
    UserFactory(role="municipality_user", municipality="1134", email="suldal@example.invalid")  # no application
    old = call.deadline
    new = old + dt.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.call_extend_deadline(call=call, actor=people["coordinator"], deadline=new)
    assert (moved.state, moved.deadline) == ("published", new)
    event = AuditEvent.objects.get(action="grant_call_extend_deadline")
    assert (event.actor, event.before, event.after) == (
        people["coordinator"],
        {"state": "published", "deadline": old.isoformat()},
        {"state": "published", "deadline": new.isoformat()},
    )
    assert [m.to for m in mail.outbox] == [["hjelmeland@example.invalid"]]
    assert f"{new.day}. {MONTHS_NB[new.month - 1]} {new.year}" in mail.outbox[0].body
    assert draft.display_title in mail.outbox[0].body


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        (0, r"^The new deadline must be later than the current one \("),
        (-3, r"^The new deadline must be later than the current one \("),
    ],
)
def test_a_deadline_never_moves_earlier(call, people, days, reason):
    before = call_snapshot(call)
    with pytest.raises(Refused, match=reason) as refused:
        services.call_extend_deadline(
            call=call, actor=people["coordinator"], deadline=call.deadline + dt.timedelta(days=days)
        )
    assert refused.value.field == "deadline"
    assert call_snapshot(call) == before


def test_a_passed_deadline_moves_only_to_a_day_ahead(call, people):
    Call.objects.filter(pk=call.pk).update(deadline=TODAY() - dt.timedelta(days=5))
    call.refresh_from_db()
    before = call_snapshot(call)
    with pytest.raises(Refused, match=r"^The new deadline must be in the future$"):
        services.call_extend_deadline(call=call, actor=people["coordinator"], deadline=TODAY())
    assert call_snapshot(call) == before


@pytest.mark.parametrize("who", ["staff", "applicant"])
def test_only_the_coordinator_moves_the_deadline(call, people, who):
    before = call_snapshot(call)
    with pytest.raises(Refused, match=r"^Only the coordinator can do this$"):
        services.call_extend_deadline(call=call, actor=people[who], deadline=call.deadline + dt.timedelta(days=7))
    assert call_snapshot(call) == before


@pytest.mark.parametrize("state", ["draft", "closed", "allocated"])
def test_the_deadline_moves_only_while_the_call_is_open(people, state):
    call = CallFactory(state=state)
    before = call_snapshot(call)
    with pytest.raises(Refused, match=r"^Not possible while the state is “"):
        services.call_extend_deadline(call=call, actor=people["coordinator"], deadline=call.deadline + dt.timedelta(7))
    assert call_snapshot(call) == before


def test_the_coordinator_closes_by_hand_only_after_the_deadline(call, people):
    before = call_snapshot(call)
    with pytest.raises(Refused, match=r"^The deadline has not passed yet$"):
        services.call_close(call=call, actor=people["coordinator"])
    with pytest.raises(Refused, match=r"^Only the coordinator can do this$"):
        services.call_close(call=call, actor=people["staff"])
    assert call_snapshot(call) == before
    Call.objects.filter(pk=call.pk).update(deadline=TODAY() - dt.timedelta(days=1))
    closed = services.call_close(call=call, actor=people["coordinator"])
    assert (closed.state, AuditEvent.objects.get(action="grant_call_close").actor) == ("closed", people["coordinator"])


def test_the_scheduled_task_closes_calls_whose_deadline_has_passed(people):
    due = CallFactory(deadline=TODAY() - dt.timedelta(days=1))
    today = CallFactory(deadline=TODAY())  # the deadline day itself is still open
    assert scheduled.grants_tick.call() == {"calls_closed": 1, "reminders_sent": 0}
    assert [Call.objects.get(pk=c.pk).state for c in (due, today)] == ["closed", "published"]
    assert AuditEvent.objects.get(action="grant_call_close").actor_label != ""


def test_the_call_page_offers_the_deadline_form_and_keeps_a_refusal_beside_it(call, people):
    client = english_client(people["coordinator"])
    page = client.get(reverse("grants:call_show", args=[call.pk]))
    html = page.content.decode()
    assert f'action="/skjonn/utlysning/{call.pk}/handling/extend_deadline/"' in html
    assert 'name="deadline"' in html
    assert "Close for applications</strong> – not possible yet: The deadline has not passed yet" in html
    before = call_snapshot(call)
    url = reverse("grants:call_take_step", args=[call.pk, "extend_deadline"])
    refused = client.post(url, {"deadline": (call.deadline - dt.timedelta(days=1)).strftime("%d.%m.%Y")})
    assert refused.status_code == 400
    assert "The new deadline must be later than the current one" in refused.content.decode()
    assert call_snapshot(call) == before
    new = call.deadline + dt.timedelta(days=10)
    moved = client.post(url, {"deadline": new.strftime("%d.%m.%Y")})
    assert (moved.status_code, Call.objects.get(pk=call.pk).deadline) == (302, new)


def test_the_call_page_shows_the_frame_in_use(call, people, application_in):
    application_in("recommended")
    client = english_client(people["coordinator"])
    html = client.get(reverse("grants:call_show", args=[call.pk])).content.decode()
    html = " ".join(html.split())
    assert "Recommended, awaiting a decision</dt><dd>NOK 400,000 (NOK 9,600,000 left if all are approved)" in html
