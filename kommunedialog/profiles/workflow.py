"""The kommunebilde workflow as one table: state, action, who may do it, and what must hold first.

    draft ⇄ review → consultation ⇄ consultation_closed ⇄ meeting_held → published → superseded

Back-steps are those real offices use: a coordinator returns a draft from quality check, reopens a
consultation (a new deadline), or takes a profile back from "meeting held" to fix the record. A guard
gets ``data`` None when a page asks in advance which steps are open: a rule about what the step's own
form supplies (a date) cannot fail before the form is filled in, so the step is offered with its form.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.accounts import access
from kommunedialog.core.actors import Actor, Person, System, is_person
from kommunedialog.core.refusal import Reason, Refused
from kommunedialog.core.workflow import (
    COORDINATOR,
    MUNICIPALITY,
    OFFICE,
    SYSTEM_ONLY,
    Data,
    Party,
    Transition,
    Workflow,
)
from kommunedialog.profiles.models import FollowUpAction, FollowUpState, OfficeSettings, Owner, Profile
from kommunedialog.profiles.states import State


def all_domains_done(profile: Profile, actor: Actor, data: Data | None) -> Reason | None:
    undone = [a.cycle_domain.title for a in profile.assessments.select_related("cycle_domain") if not a.is_done]
    if undone:
        return _("Every domain needs a rating with a justification, or “not assessed”. Missing: %(domains)s") % {
            "domains": ", ".join(undone)
        }
    if not profile.overall_picture.strip():
        return _("The overall picture is empty")
    return None


def another_person_approves(profile: Profile, actor: Actor, data: Data | None) -> Reason | None:
    """Four eyes (an office setting, on by default): whoever wrote a domain's assessment does not pass
    the quality check of that kommunebilde."""
    if not is_person(actor) or not OfficeSettings.for_office(profile.cycle.office).four_eyes:
        return None
    own = [a.cycle_domain.title for a in profile.assessments.filter(author=actor).select_related("cycle_domain")]
    if own:
        return _(
            "You wrote the assessment of %(domains)s: another person must approve the quality check (four eyes)"
        ) % {"domains": ", ".join(own)}
    return None


def deadline_in_future(profile: Profile, actor: Actor, data: Data | None) -> Refused | None:
    if data is None:
        return None  # the step's form asks for the deadline
    deadline = data.get("deadline")
    if deadline is None:
        return Refused(_("Give the consultation deadline"), field="deadline")
    if deadline <= timezone.localdate():
        return Refused(_("The consultation deadline must be in the future"), field="deadline")
    return None


def deadline_passed_for_system(profile: Profile, actor: Actor, data: Data | None) -> Reason | None:
    """The coordinator may close a consultation early (every response is in); the system closes it only
    once its deadline has passed."""
    if not isinstance(actor, System):
        return None
    if profile.consultation_deadline is None or profile.consultation_deadline >= timezone.localdate():
        return _("The consultation deadline has not passed")
    return None


def meeting_date_given(profile: Profile, actor: Actor, data: Data | None) -> Refused | None:
    if data is None:
        return None  # the meeting form asks for the date
    held_on = data.get("held_on")
    if held_on is None:
        return Refused(_("Give the date of the meeting"), field="held_on")
    if held_on > timezone.localdate():
        return Refused(_("The meeting cannot be recorded before it is held"), field="held_on")
    return None


def responses_decided(profile: Profile, actor: Actor, data: Data | None) -> Reason | None:
    undecided = [
        r.assessment.cycle_domain.title if r.assessment else str(_("the kommunebilde as a whole"))
        for r in profile.consultation_responses.filter(submitted_at__isnull=False, decision="").select_related(
            "assessment__cycle_domain"
        )
    ]
    if undecided:
        return _("Consultation responses still need a decision: %(responses)s") % {"responses": ", ".join(undecided)}
    return None


def parties(profile: Profile, person: Person) -> frozenset[Party]:
    return access.parties(person, office=profile.cycle.office, municipality=profile.municipality)


KOMMUNEBILDE = Workflow(
    Profile,
    "profile",
    parties,
    (
        Transition("submit_for_review", {State.DRAFT}, State.REVIEW, OFFICE, label=_("Send to quality check")),
        Transition("return_to_draft", {State.REVIEW}, State.DRAFT, COORDINATOR, label=_("Return to draft")),
        Transition(
            "send_on_consultation",
            {State.REVIEW},
            State.CONSULTATION,
            COORDINATOR,
            label=_("Send on consultation"),
            guards=(all_domains_done, another_person_approves, deadline_in_future),
        ),
        Transition(
            "close_consultation",
            {State.CONSULTATION},
            State.CONSULTATION_CLOSED,
            COORDINATOR | SYSTEM_ONLY,
            label=_("Close consultation"),
            guards=(deadline_passed_for_system,),
        ),
        Transition(
            "reopen_consultation",
            {State.CONSULTATION_CLOSED},
            State.CONSULTATION,
            COORDINATOR,
            label=_("Reopen consultation"),
            guards=(deadline_in_future,),
        ),
        Transition(
            "record_meeting",
            {State.CONSULTATION_CLOSED},
            State.MEETING_HELD,
            COORDINATOR,
            label=_("Record the meeting"),
            guards=(meeting_date_given,),
        ),
        Transition(
            "reopen_meeting",
            {State.MEETING_HELD},
            State.CONSULTATION_CLOSED,
            COORDINATOR,
            label=_("Correct the meeting record"),
        ),
        Transition(
            "publish",
            {State.MEETING_HELD},
            State.PUBLISHED,
            COORDINATOR,
            label=_("Publish"),
            guards=(responses_decided,),
        ),
        Transition("supersede", {State.PUBLISHED}, State.SUPERSEDED, SYSTEM_ONLY, label=_("Superseded by the next")),
    ),
)


def follow_up_parties(action: FollowUpAction, person: Person) -> frozenset[Party]:
    return access.parties(person, office=action.profile.cycle.office, municipality=action.profile.municipality)


def owner_updates(action: FollowUpAction, actor: Actor, data: Data | None) -> Reason | None:
    """The municipality updates the actions it owns; the office updates every action."""
    if isinstance(actor, System) or action.owner_party == Owner.MUNICIPALITY:
        return None
    if follow_up_parties(action, actor) & OFFICE:
        return None
    return _("This action is the County Governor's to update")


def note_given(action: FollowUpAction, actor: Actor, data: Data | None) -> Refused | None:
    if data is None:
        return None  # the step's form asks for the note
    if not str(data.get("note") or "").strip():
        return Refused(_("Say why the action is dropped"), field="note")
    return None


FOLLOW_UP = Workflow(
    FollowUpAction,
    "follow_up",
    follow_up_parties,
    (
        Transition(
            "start",
            {FollowUpState.OPEN},
            FollowUpState.IN_PROGRESS,
            OFFICE | MUNICIPALITY,
            label=_("Mark as in progress"),
            guards=(owner_updates,),
        ),
        Transition(
            "complete",
            {FollowUpState.OPEN, FollowUpState.IN_PROGRESS},
            FollowUpState.DONE,
            OFFICE | MUNICIPALITY,
            label=_("Mark as done"),
            guards=(owner_updates,),
        ),
        Transition(
            "drop",
            {FollowUpState.OPEN, FollowUpState.IN_PROGRESS},
            FollowUpState.DROPPED,
            OFFICE | MUNICIPALITY,
            label=_("Drop the action"),
            guards=(owner_updates, note_given),
        ),
        Transition(
            "reopen",
            {FollowUpState.DONE, FollowUpState.DROPPED},
            FollowUpState.OPEN,
            OFFICE | MUNICIPALITY,
            label=_("Reopen the action"),
            guards=(owner_updates,),
        ),
    ),
)
