"""Every workflow table, read as the rule it is: for every state, every action and every kind of person
(and the system), a move the table does not list is refused by ``apply`` and changes nothing, and a move
it lists gets past the state and the role (what may still stop it is one of its own guards).

Generated from the tables themselves, so a new transition, state or party is covered the day it lands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone, translation

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.core.workflow import Party, Workflow
from kommunedialog.grants.models import ChangeRequest, Report
from kommunedialog.grants.workflow import APPLICATION, CALL, CHANGE_REQUEST, PROJECT, REPORT
from kommunedialog.profiles import services as profile_services
from kommunedialog.profiles.workflow import FOLLOW_UP, KOMMUNEBILDE
from kommunedialog.registry.models import Office
from tests.factories import CallFactory, UserFactory, advance, complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Each case makes a dozen users; Argon2 would spend most of the run hashing their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Who may ask: what each is to the scenario's objects (Rogaland's, about Hjelmeland 1133).
PEOPLE: dict[str, Any] = {
    "municipality": {"role": "municipality_user", "municipality": "1133"},
    "staff": {"role": "staff", "office": "rogaland"},
    "coordinator": {"role": "coordinator", "office": "rogaland"},
    "system": SYSTEM,
    # Outsiders: never a party to these objects.
    "other_municipality": {"role": "municipality_user", "municipality": "1134"},
    "other_staff": {"role": "staff", "office": "vestland"},
    "other_coordinator": {"role": "coordinator", "office": "vestland"},
    "ministry": {"role": "ministry"},
    "admin": {"role": "admin"},
    "anonymous": AnonymousUser,
}
PARTY_OF = {"municipality": Party.MUNICIPALITY, "staff": Party.STAFF, "coordinator": Party.COORDINATOR}


def _person(name: str) -> Any:
    spec = PEOPLE[name]
    if spec is SYSTEM:
        return SYSTEM
    if spec is AnonymousUser:
        return AnonymousUser()
    return UserFactory(**spec)


def _party(name: str) -> Party | None:
    return Party.SYSTEM if name == "system" else PARTY_OF.get(name)


def _profile() -> models.Model:
    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = profile_services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name="Tabell", year=2026
    )
    return cycle.profiles.get(municipality__number="1133")


def _follow_up() -> models.Model:
    from kommunedialog.profiles.models import FollowUpAction

    return FollowUpAction.objects.create(
        profile=_profile(), description="Tabell.", owner_party="municipality", due_on=dt.date(2027, 1, 1)
    )


def _application() -> models.Model:
    return complete_application(CallFactory(), partners=("1135",))


def _project() -> Any:
    people = {
        "applicant": UserFactory(role="municipality_user", municipality="1133"),
        "staff": UserFactory(role="staff", office="rogaland"),
        "coordinator": UserFactory(role="coordinator", office="rogaland"),
    }
    return advance(complete_application(CallFactory(), applicant=people["applicant"]), "approved", **people).project


def _report() -> models.Model:
    return Report.objects.filter(project=_project(), kind="final").get()


def _change_request() -> models.Model:
    project = _project()
    return ChangeRequest.objects.create(
        project=project,
        description="Lengre periode.",
        new_period_end=project.period_end + dt.timedelta(days=90),
        new_final_report_due=timezone.localdate() + dt.timedelta(days=365),
        submitted_by=UserFactory(role="municipality_user", municipality="1133"),
    )


TABLES: dict[str, tuple[Workflow[Any], Callable[[], models.Model]]] = {
    "kommunebilde": (KOMMUNEBILDE, _profile),
    "follow_up": (FOLLOW_UP, _follow_up),
    "call": (CALL, lambda: CallFactory(state="draft")),
    "application": (APPLICATION, _application),
    "report": (REPORT, _report),
    "project": (PROJECT, _project),
    "change_request": (CHANGE_REQUEST, _change_request),
}
CASES = [(table, transition.action) for table, (flow, _make) in TABLES.items() for transition in flow.transitions]


def _state_of(obj: models.Model) -> dict[str, Any]:
    obj.refresh_from_db()
    return model_to_dict(obj)


@pytest.mark.parametrize(("table", "action"), CASES, ids=["-".join(case) for case in CASES])
def test_every_state_and_person(table, action):
    flow, make = TABLES[table]
    obj = make()
    transition = flow.by_action[action]
    people = {who: _person(who) for who in PEOPLE}
    for state in flow.states:
        type(obj)._default_manager.filter(pk=obj.pk).update(state=state)
        for who, actor in people.items():
            party = _party(who)
            before, events = _state_of(obj), AuditEvent.objects.count()
            listed = state in transition.source and party is not None and party in transition.who
            with translation.override("en"):
                refusal = flow.refusal(obj, transition, actor, {})
                reason = None if refusal is None else str(refusal.reason if isinstance(refusal, Refused) else refusal)
                from_guards = {
                    str(r.reason if isinstance(r, Refused) else r)
                    for g in transition.guards
                    if (r := g(obj, actor, {}))
                }
            if not listed:
                with pytest.raises(Refused):
                    flow.apply(obj, action, actor=actor, data={})
                assert (state, who, _state_of(obj)) == (state, who, before)
                assert AuditEvent.objects.count() == events
                assert reason is not None
            else:
                # Past state and role: nothing but the transition's own guards may stop it.
                assert (state, who, reason) in {(state, who, None)} | {(state, who, r) for r in from_guards}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_action_is_audited_under_its_own_name(table):
    flow, _make = TABLES[table]
    assert {t.action for t in flow.transitions} == set(flow.by_action)
    for transition in flow.transitions:
        assert transition.source <= set(flow.states)
        assert transition.target in flow.states
        assert str(transition.label)
