"""Permission-checked getters: every view asks here before it touches an object.

Anything a user may not see looks the same as anything that does not exist (404), so that the
existence of unpublished material is not revealed.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from kommunedialog.accounts.models import OFFICE_ROLES, Role, RoleAssignment
from kommunedialog.core.actors import Person, System
from kommunedialog.core.workflow import Party
from kommunedialog.registry.models import Municipality, MunicipalityQuerySet, Office

# Whoever asks: a signed-in person, an anonymous visitor, the system, or nobody at all.
type Viewer = Person | AnonymousUser | System | None

_CACHE_ATTR = "_kommunedialog_assignments"


def assignments(user: Viewer) -> list[RoleAssignment]:
    """The user's role assignments, read once per request and kept on the user object."""
    if user is None or isinstance(user, System) or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("office", "municipality"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles(user: Viewer) -> set[Role]:
    return {Role(a.role) for a in assignments(user)}


def has_role(user: Viewer, *wanted: Role) -> bool:
    return bool(roles(user) & set(wanted))


def offices_for(user: Viewer, *wanted: Role) -> set[int]:
    """Ids of the offices where the user holds one of ``wanted`` (default: staff or coordinator)."""
    want = set(wanted) or set(OFFICE_ROLES)
    return {a.office_id for a in assignments(user) if Role(a.role) in want and a.office_id is not None}


def municipality_ids_for(user: Viewer) -> set[int]:
    """Ids of the municipalities the user acts for as a municipality user."""
    return {a.municipality_id for a in assignments(user) if a.role == Role.MUNICIPALITY_USER and a.municipality_id}


def is_office_member(user: Viewer, office: Office | None, *wanted: Role) -> bool:
    return office is not None and office.pk in offices_for(user, *wanted)


def municipalities_in_scope(user: Viewer) -> MunicipalityQuerySet:
    """The current municipalities a logged-in user works with: their own, or their office's area."""
    office_ids = offices_for(user)
    own = municipality_ids_for(user)
    qs = Municipality.objects.current().select_related("county__office")
    if has_role(user, Role.ADMIN, Role.MINISTRY):
        return qs
    return qs.filter(Q(county__office__in=office_ids) | Q(pk__in=own))


def office_for_member(user: Viewer, code: str, *wanted: Role) -> Office:
    """The office with ``code`` if the user works there in one of ``wanted`` roles; else 404."""
    office = Office.objects.filter(code=code).first()
    if office is None or not is_office_member(user, office, *wanted):
        raise Http404("No such office")
    return office


def municipality_for_member(user: Viewer, number: str) -> Municipality:
    """The current municipality ``number`` if the user is one of its municipality users; else 404."""
    municipality = Municipality.objects.current().filter(number=number).first()
    if municipality is None or municipality.pk not in municipality_ids_for(user):
        raise Http404("No such municipality")
    return municipality


def municipality_for_office_member(user: Viewer, number: str, *wanted: Role) -> Municipality:
    """The current municipality ``number`` if it lies in an office where the user works; else 404."""
    municipality = Municipality.objects.current().select_related("county__office").filter(number=number).first()
    if municipality is None or not is_office_member(user, municipality.office, *wanted):
        raise Http404("No such municipality")
    return municipality


def municipality_user_emails(municipality: Municipality) -> list[str]:
    """Where to write to a municipality: its users' e-mail addresses (sorted, each once)."""
    return sorted(
        set(
            RoleAssignment.objects.filter(role=Role.MUNICIPALITY_USER, municipality=municipality)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def parties(user: Viewer, *, office: Office | None, municipality: Municipality | None) -> frozenset[Party]:
    """What ``user`` is to a case owned by ``office`` about ``municipality``, for the workflow tables."""
    found = set()
    if municipality is not None and municipality.pk in municipality_ids_for(user):
        found.add(Party.MUNICIPALITY)
    if is_office_member(user, office, Role.STAFF):
        found.add(Party.STAFF)
    if is_office_member(user, office, Role.COORDINATOR):
        found.add(Party.COORDINATOR)
    return frozenset(found)
