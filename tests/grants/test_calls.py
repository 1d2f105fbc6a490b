"""Calls: created and edited in draft by the office's coordinator; published when complete; closed by the
deadline task or, once the deadline has passed, by the coordinator; allocated once every application is decided; archived. Refused moves change nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.models import Call
from kommunedialog.grants.services import CallSpec, CriterionSpec
from kommunedialog.grants.states import CallState
from kommunedialog.grants.workflow import CALL
from kommunedialog.registry.models import Office
from tests.factories import CallFactory, close_call
from tests.grants.conftest import ACTORS, make_actor

pytestmark = pytest.mark.django_db

ALLOWED = {
    "publish": {"coordinator_own"},
    "extend_deadline": {"coordinator_own"},
    "close": {"coordinator_own", "system"},
    "allocate": {"coordinator_own"},
    "archive": {"coordinator_own"},
}
SERVICE = {
    "publish": services.call_publish,
    "extend_deadline": lambda call, actor: services.call_extend_deadline(
        call=call, actor=actor, deadline=call.deadline + dt.timedelta(days=7)
    ),
    "close": services.call_close,
    "allocate": services.call_allocate,
    "archive": services.call_archive,
}


def spec(**changes) -> CallSpec:
    values = {
        "year": 2026,
        "title_nb": "Prosjektskjønn 2026",
        "title_nn": "Prosjektskjønn 2026",
        "description_nb": "Fornying og innovasjon.",
        "description_nn": "Fornying og innovasjon.",
        "frame": 10_000_000,
        "deadline": timezone.localdate() + dt.timedelta(days=40),
        "min_own_share_percent": 20,
        "min_amount": 100_000,
        "themes": ("digitalisation",),
        "criteria": (CriterionSpec("Nytte", "Nytte", 60), CriterionSpec("Gjennomføring", "Gjennomføring", 40)),
    }
    return CallSpec(**(values | changes))


def call_in(state: str) -> Call:
    """A call in ``state`` whose guards for the next move hold (the deadline passed for "close")."""
    if state == "published_due":
        call = CallFactory()
        Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
        call.refresh_from_db()
        return call
    return CallFactory(state=state)


def source_for(action: str) -> str:
    return {
        "publish": "draft",
        "extend_deadline": "published",
        "close": "published_due",
        "allocate": "closed",
        "archive": "allocated",
    }[action]


def test_the_table_covers_every_service():
    assert set(CALL.by_action) == set(ALLOWED) == set(SERVICE)


@pytest.mark.parametrize(("action", "actor_name"), [(a, n) for a in ALLOWED for n in ACTORS])
def test_call_transition_per_actor(action, actor_name):
    call = call_in(source_for(action))
    actor = make_actor(actor_name)
    if actor_name in ALLOWED[action]:
        SERVICE[action](call=call, actor=actor)
        call.refresh_from_db()
        assert call.state == CALL.by_action[action].target
        assert AuditEvent.objects.filter(action=f"grant_call_{action}", object_id=str(call.pk)).count() == 1
    else:
        before, events = model_to_dict(call), AuditEvent.objects.count()
        with pytest.raises(Refused):
            SERVICE[action](call=call, actor=actor)
        call.refresh_from_db()
        assert (model_to_dict(call), AuditEvent.objects.count()) == (before, events)


@pytest.mark.parametrize(
    ("action", "state"), [(a, s) for a in ALLOWED for s in CallState.values if s not in CALL.by_action[a].source]
)
def test_no_call_action_outside_its_source_states(action, state):
    call = CallFactory(state=state)
    actor = None if action == "close" else make_actor("coordinator_own")
    before = model_to_dict(call)
    with pytest.raises(Refused, match="Not possible while the state is"):
        SERVICE[action](call=call, actor=actor)
    call.refresh_from_db()
    assert model_to_dict(call) == before


def test_only_the_office_coordinator_creates_a_call():
    office = Office.objects.get(code="rogaland")
    for name in ("staff_own", "coordinator_other", "applicant_own", "ministry", "admin"):
        with pytest.raises(PermissionDenied):
            services.call_create(office=office, actor=make_actor(name), spec=spec())
    assert Call.objects.count() == 0
    call = services.call_create(office=office, actor=make_actor("coordinator_own"), spec=spec())
    assert (call.state, call.frame, [c.weight for c in call.criteria.all()]) == ("draft", 10_000_000, [60, 40])


def test_publishing_needs_both_languages_themes_and_weights_that_add_up():
    office = Office.objects.get(code="rogaland")
    coordinator = make_actor("coordinator_own")
    call = services.call_create(
        office=office,
        actor=coordinator,
        spec=spec(title_nn="", themes=(), criteria=(CriterionSpec("Nytte", "Nytte", 70),)),
    )
    with pytest.raises(Refused) as refused:
        services.call_publish(call=call, actor=coordinator)
    assert refused.value.reason == (
        "Title and description are needed in both bokmål and nynorsk; Choose at least one theme; "
        "The criteria's weights add up to 70 %, not 100 %"
    )
    call.refresh_from_db()
    assert call.state == CallState.DRAFT
    call = services.call_update(call=call, actor=coordinator, expected_version=call.version, spec=spec())
    assert services.call_publish(call=call, actor=coordinator).state == CallState.PUBLISHED


def test_editing_a_call_from_an_old_version_is_a_conflict_and_changes_nothing():
    office = Office.objects.get(code="rogaland")
    coordinator = make_actor("coordinator_own")
    call = services.call_create(office=office, actor=coordinator, spec=spec())
    services.call_update(call=call, actor=coordinator, expected_version=1, spec=spec(frame=8_000_000))
    with pytest.raises(EditConflict) as conflict:
        services.call_update(call=call, actor=coordinator, expected_version=1, spec=spec(frame=12_000_000))
    assert [(r["field"], r["saved"], r["submitted"]) for r in conflict.value.rows] == [("frame", 8_000_000, 12_000_000)]
    call.refresh_from_db()
    assert (call.frame, call.version) == (8_000_000, 2)


def test_a_published_call_cannot_be_edited():
    call = CallFactory()
    with pytest.raises(Refused):
        services.call_update(call=call, actor=make_actor("coordinator_own"), expected_version=call.version, spec=spec())


def test_the_deadline_task_closes_due_calls_only_and_is_idempotent():
    due, open_call = call_in("published_due"), CallFactory()
    out = io.StringIO()
    call_command("grants_tick", stdout=out)
    assert "1 call closed" in out.getvalue()
    due.refresh_from_db()
    open_call.refresh_from_db()
    assert (due.state, open_call.state) == ("closed", "published")
    events = AuditEvent.objects.count()
    call_command("grants_tick", stdout=io.StringIO())
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.get(action="grant_call_close").actor_label == "system"


def test_a_call_is_allocated_only_when_every_application_is_decided(application_in, people):
    application = application_in("recommended")
    call = close_call(application.call)
    with pytest.raises(Refused, match="1 application still awaits a decision"):
        services.call_allocate(call=call, actor=people["coordinator"])
    services.application_reject(application=application, actor=people["coordinator"], reasons="Nei.")
    assert services.call_allocate(call=call, actor=people["coordinator"]).state == CallState.ALLOCATED
