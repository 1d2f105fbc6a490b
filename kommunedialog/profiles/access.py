"""Permission-checked getters for the kommunebilde. Anything not published is 404 to everyone outside
the office and (during consultation) the municipality concerned."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
from kommunedialog.profiles.models import Cycle, FollowUpAction, Profile
from kommunedialog.profiles.states import State

CONSULTATION_VISIBLE = frozenset({State.CONSULTATION, State.CONSULTATION_CLOSED})


def cycles_for_staff(user: Any) -> QuerySet[Cycle]:
    return Cycle.objects.filter(office__in=access.offices_for(user)).select_related("office")


def cycle_for_staff(user: Any, cycle_id: int) -> Cycle:
    cycle = cycles_for_staff(user).filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("No such cycle")
    return cycle


def profile_for_staff(user: Any, profile_id: int) -> Profile:
    profile = (
        Profile.objects.select_related("cycle__office", "municipality")
        .filter(pk=profile_id, cycle__office__in=access.offices_for(user))
        .first()
    )
    if profile is None:
        raise Http404("No such kommunebilde")
    return profile


def profile_for_coordinator(user: Any, profile_id: int) -> Profile:
    """A kommunebilde for its office's coordinators only (the slides for the meeting); 404 to anyone else."""
    profile = (
        Profile.objects.select_related("cycle__office", "municipality")
        .filter(pk=profile_id, cycle__office__in=access.offices_for(user, Role.COORDINATOR))
        .first()
    )
    if profile is None:
        raise Http404("No such kommunebilde")
    return profile


def profile_for_consultation(user: Any, profile_id: int) -> Profile:
    """The draft as sent on consultation: for the municipality's own users while it is on (or just
    closed) consultation."""
    profile = (
        Profile.objects.select_related("cycle__office", "municipality")
        .filter(pk=profile_id, municipality__in=access.municipality_ids_for(user), state__in=CONSULTATION_VISIBLE)
        .first()
    )
    if profile is None:
        raise Http404("No such kommunebilde")
    return profile


# What the municipality sees of its own kommunebilder: from consultation on, for ever (its responses,
# the office's decisions, the meeting record and the agreed actions).
MUNICIPALITY_VISIBLE = frozenset(
    {State.CONSULTATION, State.CONSULTATION_CLOSED, State.MEETING_HELD, State.PUBLISHED, State.SUPERSEDED}
)


def profiles_for_municipality(user: Any) -> QuerySet[Profile]:
    return Profile.objects.select_related("cycle__office", "municipality").filter(
        municipality__in=access.municipality_ids_for(user), state__in=MUNICIPALITY_VISIBLE
    )


def follow_up_for(user: Any, action_id: int) -> FollowUpAction:
    """An agreed action, for its office's staff and its municipality's users; 404 to anyone else."""
    action = (
        FollowUpAction.objects.select_related("profile__cycle__office", "profile__municipality")
        .filter(pk=action_id)
        .filter(
            Q(profile__cycle__office__in=access.offices_for(user))
            | Q(
                profile__municipality__in=access.municipality_ids_for(user),
                profile__state__in=MUNICIPALITY_VISIBLE,
            )
        )
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action
