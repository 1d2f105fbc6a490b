"""The kommunebilde workflow as one table: state, action, who may do it, and what must hold first.

    draft ⇄ review → consultation ⇄ consultation_closed → meeting_held → published → superseded

Back-steps are those real offices use: a coordinator returns a draft from quality check, reopens a
consultation (a new deadline), or takes a profile back from "meeting held" to fix the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role

if TYPE_CHECKING:
    from kommunedialog.profiles.models import Profile


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Internal quality check")
    CONSULTATION = "consultation", _("On consultation")
    CONSULTATION_CLOSED = "consultation_closed", _("Consultation closed")
    MEETING_HELD = "meeting_held", _("Meeting held")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class TransitionRefused(Exception):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"{action}: {reason}")
        self.action = action
        self.reason = reason


def _all_domains_done(profile: Profile) -> str | None:
    undone = [a.cycle_domain.title for a in profile.assessments.select_related("cycle_domain") if not a.is_done]
    if undone:
        return str(_("Every domain needs a rating with a justification, or 'not assessed': %(domains)s")) % {
            "domains": ", ".join(undone)
        }
    if not profile.overall_picture.strip():
        return str(_("The overall picture is empty"))
    return None


def _meeting_recorded(profile: Profile) -> str | None:
    return None if profile.meeting_held_on else str(_("Record the meeting's date first"))


def _responses_decided(profile: Profile) -> str | None:
    open_count = profile.consultation_responses.filter(submitted_at__isnull=False, decision="").count()
    if open_count:
        return str(_("%(n)s consultation responses still need a decision")) % {"n": open_count}
    return None


def _no_guard(profile: Profile) -> str | None:
    return None


OFFICE = frozenset({Role.STAFF, Role.COORDINATOR})
COORDINATOR = frozenset({Role.COORDINATOR})
SYSTEM: frozenset[Role] = frozenset()  # only the system itself (publishing the next cycle)


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset[State]
    target: State
    roles: frozenset[Role]
    guard: Callable[[Profile], str | None] = _no_guard


TRANSITIONS = (
    Transition("submit_for_review", frozenset({State.DRAFT}), State.REVIEW, OFFICE),
    Transition("return_to_draft", frozenset({State.REVIEW}), State.DRAFT, COORDINATOR),
    Transition("send_on_consultation", frozenset({State.REVIEW}), State.CONSULTATION, COORDINATOR, _all_domains_done),
    Transition("close_consultation", frozenset({State.CONSULTATION}), State.CONSULTATION_CLOSED, COORDINATOR),
    Transition("reopen_consultation", frozenset({State.CONSULTATION_CLOSED}), State.CONSULTATION, COORDINATOR),
    Transition(
        "record_meeting", frozenset({State.CONSULTATION_CLOSED}), State.MEETING_HELD, COORDINATOR, _meeting_recorded
    ),
    Transition("reopen_meeting", frozenset({State.MEETING_HELD}), State.CONSULTATION_CLOSED, COORDINATOR),
    Transition("publish", frozenset({State.MEETING_HELD}), State.PUBLISHED, COORDINATOR, _responses_decided),
    Transition("supersede", frozenset({State.PUBLISHED}), State.SUPERSEDED, SYSTEM),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}


def check(profile: Profile, action: str, actor: Any | None) -> Transition:
    """The transition ``action`` if ``actor`` may take it now, else TransitionRefused saying why.

    ``actor`` None is the system; people act only through roles held in the profile's own office.
    """
    transition = BY_ACTION[action]
    if profile.state not in transition.source:
        raise TransitionRefused(
            action, gettext("Not allowed from the state “%(state)s”") % {"state": profile.get_state_display()}
        )
    if actor is None:
        if transition.roles:
            raise TransitionRefused(action, gettext("Needs a person with a role in the office"))
    elif not transition.roles or not any(
        access.is_office_member(actor, profile.cycle.office, role) for role in transition.roles
    ):
        raise TransitionRefused(action, gettext("Your role in this office does not allow it"))
    reason = transition.guard(profile)
    if reason:
        raise TransitionRefused(action, reason)
    return transition


def allowed_actions(profile: Profile, actor: Any) -> list[str]:
    """The actions the actor could take now (for buttons); guards included."""
    actions = []
    for transition in TRANSITIONS:
        try:
            check(profile, transition.action, actor)
        except TransitionRefused:
            continue
        actions.append(transition.action)
    return actions
