"""The cycle carried through by its people: four eyes on the quality check, the meeting recorded with
its agreed actions in one form, the actions moved on by their owners, the municipality's own history,
and the archived kommunebilde saying which one replaced it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.profiles import follow_up, public, services
from kommunedialog.profiles.models import Assessment, FollowUpAction, OfficeSettings, Profile
from kommunedialog.profiles.states import State
from kommunedialog.profiles.workflow import KOMMUNEBILDE
from tests.factories import UserFactory
from tests.profiles.test_views import client_for
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return make_scenario()


def _in_review(profile: Profile, author) -> Profile:
    Assessment.objects.filter(profile=profile).update(rating="good", justification="Godt.", author=author)
    Profile.objects.filter(pk=profile.pk).update(state=State.REVIEW, overall_picture="Bilde.")
    profile.refresh_from_db()
    return profile


def test_the_author_of_an_assessment_cannot_pass_the_quality_check(scenario):
    coordinator = UserFactory(role="coordinator", office="rogaland")
    profile = _in_review(scenario["draft_profile"], coordinator)
    first = Assessment.objects.filter(profile=profile).order_by("cycle_domain__position").first()
    deadline = timezone.localdate() + dt.timedelta(days=21)
    with translation.override("en"):
        step = next(s for s in KOMMUNEBILDE.allowed(profile, coordinator) if s.action == "send_on_consultation")
        assert str(step.reason).startswith(f"You wrote the assessment of {first.cycle_domain.title}, ")
        with pytest.raises(Refused, match="another person must approve the quality check"):
            services.profile_send_on_consultation(profile=profile, actor=coordinator, deadline=deadline)
    profile.refresh_from_db()
    assert (profile.state, profile.consultation_sent_at) == (State.REVIEW, None)
    # Another person passes it; and an office that has turned four eyes off lets the author do it.
    other = UserFactory(role="coordinator", office="rogaland")
    assert services.profile_send_on_consultation(profile=profile, actor=other, deadline=deadline).state == (
        State.CONSULTATION
    )
    second = _in_review(scenario["cycle"].profiles.exclude(pk=profile.pk).first(), coordinator)
    OfficeSettings.objects.create(office=second.cycle.office, four_eyes=False)
    assert services.profile_send_on_consultation(profile=second, actor=coordinator, deadline=deadline).state == (
        State.CONSULTATION
    )


def test_the_meeting_and_its_agreed_actions_are_one_form(scenario):
    profile = scenario["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.CONSULTATION_CLOSED)
    held, due = timezone.localdate() - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=90)
    response = client_for(role="coordinator", office="rogaland").post(
        f"/kommunebilde/profil/{profile.pk}/handling/record_meeting/",
        {
            "held_on": held.isoformat(),
            "action_1": "Ny beredskapsplan",
            "action_1_owner": "municipality",
            "action_1_due": due.strftime("%d.%m.%Y"),
            "action_2": "Veiledning i internkontroll",
            "action_2_owner": "office",
            "action_2_due": due.strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.state == State.MEETING_HELD
    assert list(profile.follow_up_actions.values_list("description", "owner_party", "due_on", "state")) == [
        ("Ny beredskapsplan", "municipality", due, "open"),
        ("Veiledning i internkontroll", "office", due, "open"),
    ]


def test_an_action_without_a_due_date_keeps_the_meeting_unrecorded_and_everything_typed(scenario):
    profile = scenario["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.CONSULTATION_CLOSED)
    response = client_for(role="coordinator", office="rogaland").post(
        f"/kommunebilde/profil/{profile.pk}/handling/record_meeting/",
        {"held_on": timezone.localdate().isoformat(), "notes": "Vi drøfta barnevern.", "action_1": "Ny plan"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vi drøfta barnevern." in html
    assert "Ny plan" in html
    assert "An agreed action needs a due date." in html
    profile.refresh_from_db()
    assert (profile.state, profile.follow_up_actions.count()) == (State.CONSULTATION_CLOSED, 0)


def test_the_municipality_moves_its_own_actions_and_not_the_offices(scenario):
    action = scenario["follow_up_action"]
    office_action = FollowUpAction.objects.create(
        profile=action.profile, description="Kontoret sitt.", owner_party="office", due_on=action.due_on
    )
    municipality = client_for(role="municipality_user", municipality="1133")
    assert municipality.post(f"/kommunebilde/oppfolging/{action.pk}/complete/").status_code == 302
    action.refresh_from_db()
    assert (action.state, action.done_on) == ("done", timezone.localdate())
    events = AuditEvent.objects.count()
    response = municipality.post(f"/kommunebilde/oppfolging/{office_action.pk}/complete/")
    assert response.status_code == 400
    office_action.refresh_from_db()
    assert (office_action.state, office_action.done_on, AuditEvent.objects.count()) == ("open", None, events)
    # Another municipality does not see the action at all.
    other = client_for(role="municipality_user", municipality="1134")
    assert other.post(f"/kommunebilde/oppfolging/{office_action.pk}/start/").status_code == 404
    office_action.refresh_from_db()
    assert office_action.state == "open"


def test_dropping_an_action_needs_a_note_and_keeps_what_was_typed(scenario):
    action = scenario["follow_up_action"]
    municipality = client_for(role="municipality_user", municipality="1133")
    response = municipality.post(f"/kommunebilde/oppfolging/{action.pk}/drop/", {"note": "  "})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.state == "open"
    response = municipality.post(f"/kommunebilde/oppfolging/{action.pk}/drop/", {"note": "Erstatta av ny plan."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.state, action.note) == ("dropped", "Erstatta av ny plan.")


def test_the_municipality_sees_its_history_with_decisions_and_actions(scenario):
    response_obj = scenario["consultation_response"]
    response_obj.decision, response_obj.decision_reason = "changed", "Retta i teksten."
    response_obj.save()
    page = client_for(role="municipality_user", municipality="1133").get(
        "/kommunebilde/var-kommune/", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Scenario response." in html
    assert "Retta i teksten." in html
    assert "merknader.pdf" in html
    assert "Scenario: agreed action." in html
    assert "Mark as done" in html
    other = client_for(role="municipality_user", municipality="1134").get("/kommunebilde/var-kommune/")
    assert "Scenario response." not in other.content.decode()


def test_overdue_and_earlier_open_actions_are_shown_to_the_office(scenario):
    action = scenario["follow_up_action"]  # due 1 June 2025, open
    assert list(follow_up.overdue([action.profile])) == [action]
    assert list(follow_up.open_from_earlier(scenario["draft_profile"])) == [action]
    action.state = "done"
    action.save()
    assert list(follow_up.open_from_earlier(scenario["draft_profile"])) == []


def test_an_archived_kommunebilde_names_its_successor(scenario):
    old = scenario["published_snapshot"]
    assert public.successor(old) is None
    coordinator = UserFactory(role="coordinator", office="rogaland")
    newer = scenario["consultation_profile"]
    Assessment.objects.filter(profile=newer).update(rating="good", justification="Godt.")
    Profile.objects.filter(pk=newer.pk).update(state=State.MEETING_HELD, meeting_held_on=timezone.localdate())
    scenario["consultation_response"].__class__.objects.update(decision="changed", decision_reason="Ja.")
    services.profile_publish(profile=newer, actor=coordinator)
    successor = public.successor(old)
    assert successor is not None
    assert successor.profile_id == newer.pk
    page = client_for(role="staff", office="vestland").get(
        f"/kommuner/1133/kommunebilde/{old.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert f"/kommuner/1133/kommunebilde/{successor.pk}/" in page.content.decode()
    # The archived one keeps its own PDF address, in the page and in the API.
    assert f"/kommuner/1133/kommunebilde/{old.pk}.pdf" in page.content.decode()
    listed = client_for(role="staff", office="vestland").get("/api/v1/municipalities/1133/kommunebilder").json()
    assert [(s["id"], s["current"], s["pdf_url"]) for s in listed] == [
        (successor.pk, True, f"/kommuner/1133/kommunebilde/{successor.pk}.pdf"),
        (old.pk, False, f"/kommuner/1133/kommunebilde/{old.pk}.pdf"),
    ]
