"""The follow-up actions agreed in the dialogue meeting: who owns each (the office or the municipality),
by when, and how far it has come. The municipality moves its own; the office moves every one."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
from kommunedialog.core import audit
from kommunedialog.core.actors import Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.refusal import Refused
from kommunedialog.profiles.models import OPEN_FOLLOW_UP, FollowUpAction, FollowUpState, Owner, Profile
from kommunedialog.profiles.states import State
from kommunedialog.profiles.workflow import FOLLOW_UP


class AgreedAction(TypedDict):
    description: str
    owner_party: str
    due_on: dt.date


def follow_up_add(
    *, profile: Profile, actor: Actor, description: str, owner_party: str, due_on: dt.date, owner: str = ""
) -> FollowUpAction:
    """Add an agreed action to a kommunebilde whose meeting is held (or, later, published)."""
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("cycle__office").get(pk=profile.pk)
        if not any(
            access.is_office_member(actor, locked.cycle.office, role) for role in (Role.STAFF, Role.COORDINATOR)
        ):
            raise PermissionDenied("Your role in this office does not allow it")
        if locked.state not in {State.MEETING_HELD, State.PUBLISHED, State.SUPERSEDED}:
            raise Refused(_("Follow-up actions are agreed in the meeting"))
        if not description.strip():
            raise Refused(_("A follow-up action needs a description"), field="description")
        if owner_party not in Owner.values:
            raise Refused(_("Choose who owns the action"), field="owner_party")
        action = FollowUpAction.objects.create(
            profile=locked, description=description, owner_party=owner_party, owner=owner, due_on=due_on
        )
        audit.record(
            actor=actor,
            obj=action,
            action=AuditAction.FOLLOW_UP_ADD,
            after={"owner_party": owner_party, "owner": owner, "due_on": due_on.isoformat()},
        )
    return action


def follow_up_take_step(*, action: FollowUpAction, actor: Actor, step: str, note: str = "") -> FollowUpAction:
    """Move an action on (in progress, done, dropped with a note, or open again)."""
    fields: dict[str, object] = {"note": note} if note.strip() else {}
    if step == "complete":
        fields["done_on"] = timezone.localdate()
    elif step == "reopen":
        fields["done_on"] = None
    return FOLLOW_UP.apply(action, step, actor=actor, data={"note": note}, fields=fields)


def overdue(profiles: QuerySet[Profile] | list[Profile]) -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.filter(
        profile__in=profiles, state__in=OPEN_FOLLOW_UP, due_on__lt=timezone.localdate()
    ).select_related("profile__municipality")


def open_from_earlier(profile: Profile) -> QuerySet[FollowUpAction]:
    """The actions still open from the municipality's earlier kommunebilder of the same office: the next
    cycle's profile shows them so nothing agreed is forgotten."""
    return (
        FollowUpAction.objects.filter(
            profile__municipality=profile.municipality,
            profile__cycle__office=profile.cycle.office,
            profile__cycle__year__lte=profile.cycle.year,
            state__in=OPEN_FOLLOW_UP,
        )
        .exclude(profile=profile)
        .select_related("profile__cycle")
    )


__all__ = ["FollowUpState", "follow_up_add", "follow_up_take_step", "open_from_earlier", "overdue"]
