"""Every transition of the kommunebilde workflow, for every actor: allowed moves change the state and
are audited; refused moves change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.profiles import services
from kommunedialog.profiles.models import Assessment, ConsultationResponse, Profile, Rating
from kommunedialog.profiles.states import State
from kommunedialog.profiles.workflow import KOMMUNEBILDE
from kommunedialog.registry.models import Office
from tests.factories import UserFactory
from tests.formats import MONTHS_NN

pytestmark = pytest.mark.django_db

ACTORS = {
    "staff_own": {"role": "staff", "office": "rogaland"},
    "coordinator_own": {"role": "coordinator", "office": "rogaland"},
    "staff_other": {"role": "staff", "office": "vestland"},
    "coordinator_other": {"role": "coordinator", "office": "vestland"},
    "municipality_own": {"role": "municipality_user", "municipality": "1133"},
    "ministry": {"role": "ministry"},
    "admin": {"role": "admin"},
    "system": SYSTEM,
}
ALLOWED = {
    "submit_for_review": {"staff_own", "coordinator_own"},
    "return_to_draft": {"coordinator_own"},
    "send_on_consultation": {"coordinator_own"},
    "close_consultation": {"coordinator_own", "system"},
    "reopen_consultation": {"coordinator_own"},
    "record_meeting": {"coordinator_own"},
    "reopen_meeting": {"coordinator_own"},
    "publish": {"coordinator_own"},
    "supersede": {"system"},
}


@pytest.fixture
def cycle():
    coordinator = UserFactory(role="coordinator", office="rogaland")
    return services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name="Kommunebilde 2026", year=2026
    )


@pytest.fixture
def ready_profile(cycle) -> Profile:
    """Hjelmeland's profile with every guard satisfied, so only state and role decide."""
    profile = cycle.profiles.get(municipality__number="1133")
    Assessment.objects.filter(profile=profile).update(rating=Rating.GOOD, justification="Demonstrasjonstekst.")
    Profile.objects.filter(pk=profile.pk).update(
        overall_picture="Demonstrasjonstekst.",
        meeting_held_on=dt.date(2026, 10, 1),
        # Passed: the system may close the consultation; steps that set a new deadline are given one.
        consultation_deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    profile.refresh_from_db()
    return profile


def test_opening_a_cycle_makes_a_profile_per_municipality_and_an_assessment_per_domain(cycle):
    assert cycle.domains.count() == 10  # the national set; reindeer husbandry only where an office adds it
    assert cycle.profiles.count() == 23  # Rogaland's municipalities
    assert Assessment.objects.filter(profile__cycle=cycle).count() == 230
    assert set(cycle.profiles.values_list("state", flat=True)) == {State.DRAFT}
    assert AuditEvent.objects.get(action="cycle_open").after["profiles"] == 23


def test_only_the_office_coordinator_opens_a_cycle():
    from django.core.exceptions import PermissionDenied

    for spec in (ACTORS["staff_own"], ACTORS["coordinator_other"], ACTORS["ministry"]):
        with pytest.raises(PermissionDenied):
            services.cycle_open(
                office=Office.objects.get(code="rogaland"), actor=UserFactory(**spec), name="X", year=2026
            )
    assert not AuditEvent.objects.filter(action="cycle_open").exists()


@pytest.mark.parametrize("transition", KOMMUNEBILDE.transitions, ids=lambda t: t.action)
@pytest.mark.parametrize("actor_name", list(ACTORS))
def test_every_transition_for_every_actor(ready_profile, transition, actor_name):
    """The roles of BRIEF §1, spelled out here rather than read from the table (tests/core has that)."""
    source = sorted(transition.source)[0]
    Profile.objects.filter(pk=ready_profile.pk).update(state=source)
    ready_profile.refresh_from_db()
    actor = UserFactory(**ACTORS[actor_name]) if ACTORS[actor_name] is not SYSTEM else SYSTEM
    events_before = AuditEvent.objects.count()
    data = {"deadline": timezone.localdate() + dt.timedelta(days=21), "held_on": dt.date(2026, 10, 1)}
    if actor_name in ALLOWED[transition.action]:
        KOMMUNEBILDE.apply(ready_profile, transition.action, actor=actor, data=data)
        ready_profile.refresh_from_db()
        assert ready_profile.state == transition.target
        assert AuditEvent.objects.filter(action=f"profile_{transition.action}").count() == 1
    else:
        with pytest.raises(Refused):
            KOMMUNEBILDE.apply(ready_profile, transition.action, actor=actor, data=data)
        ready_profile.refresh_from_db()
        assert ready_profile.state == source
        assert AuditEvent.objects.count() == events_before


def test_consultation_needs_every_domain_rated(cycle):
    profile = cycle.profiles.get(municipality__number="1133")
    Profile.objects.filter(pk=profile.pk).update(state=State.REVIEW, overall_picture="Tekst.")
    coordinator = UserFactory(role="coordinator", office="rogaland")
    with pytest.raises(Refused, match="Alle fagområder må ha en vurdering med begrunnelse"):
        services.profile_send_on_consultation(
            profile=profile, actor=coordinator, deadline=timezone.localdate() + dt.timedelta(days=21)
        )
    profile.refresh_from_db()
    assert (profile.state, profile.consultation_sent_at) == (State.REVIEW, None)
    assert mail.outbox == []


def test_sending_on_consultation_notifies_the_municipality_in_its_language(
    ready_profile, django_capture_on_commit_callbacks
):
    Profile.objects.filter(pk=ready_profile.pk).update(state=State.REVIEW)
    user = UserFactory(role="municipality_user", municipality="1133", email="post@hjelmeland.kommune.no")
    UserFactory(role="municipality_user", municipality="1134", email="post@suldal.kommune.no")
    coordinator = UserFactory(role="coordinator", office="rogaland")
    deadline = timezone.localdate() + dt.timedelta(days=21)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_send_on_consultation(profile=ready_profile, actor=coordinator, deadline=deadline)
    assert [m.to for m in mail.outbox] == [[user.email]]
    # Hjelmeland writes nynorsk.
    assert mail.outbox[0].subject == "Kommunebilde på høyring: Hjelmeland"
    assert f"{deadline.day}. {MONTHS_NN[deadline.month - 1]} {deadline.year}" in mail.outbox[0].body


def test_publishing_needs_every_response_decided(ready_profile):
    Profile.objects.filter(pk=ready_profile.pk).update(state=State.MEETING_HELD)
    ConsultationResponse.objects.create(
        profile=ready_profile, kind="factual_error", text="Feil tal.", submitted_at=timezone.now()
    )
    with pytest.raises(Refused, match=r"^Høringssvar som mangler avgjørelse: kommunebildet som helhet$"):
        services.profile_publish(profile=ready_profile, actor=UserFactory(role="coordinator", office="rogaland"))
    ready_profile.refresh_from_db()
    assert ready_profile.state == State.MEETING_HELD


def test_publishing_supersedes_the_earlier_published_picture(ready_profile):
    coordinator = UserFactory(role="coordinator", office="rogaland")
    Profile.objects.filter(pk=ready_profile.pk).update(state=State.PUBLISHED)
    next_cycle = services.cycle_open(
        office=ready_profile.cycle.office, actor=coordinator, name="Kommunebilde 2027", year=2027
    )
    newer = next_cycle.profiles.get(municipality__number="1133")
    Profile.objects.filter(pk=newer.pk).update(state=State.MEETING_HELD)
    services.profile_publish(profile=newer, actor=coordinator)
    ready_profile.refresh_from_db()
    newer.refresh_from_db()
    assert (newer.state, ready_profile.state) == (State.PUBLISHED, State.SUPERSEDED)
    assert AuditEvent.objects.get(action="profile_supersede").actor_label == "system"


def test_sending_on_consultation_records_the_coordinator_as_reviewer_of_every_assessment():
    from tests.scenario import make_scenario

    scenario = make_scenario()
    profile = scenario["draft_profile"]
    staff = UserFactory(role="staff", office="rogaland")
    coordinator = UserFactory(role="coordinator", office="rogaland")
    Assessment.objects.filter(profile=profile).update(rating=Rating.NOT_ASSESSED)
    Profile.objects.filter(pk=profile.pk).update(overall_picture="Hovudbilete.")
    profile = services.profile_submit_for_review(profile=Profile.objects.get(pk=profile.pk), actor=staff)
    services.profile_send_on_consultation(
        profile=profile, actor=coordinator, deadline=timezone.localdate() + dt.timedelta(days=14)
    )
    assert set(Assessment.objects.filter(profile=profile).values_list("reviewer", flat=True)) == {coordinator.pk}
