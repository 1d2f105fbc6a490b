"""Who acts: a signed-in person, or the system itself (a scheduled task, an import run by an operator).

Every service takes ``actor: Actor`` (or ``actor: Person`` where only a person can act). A person is the
project's user model; the type checker sees ``accounts.models.User``, while at run time the lowest
floors check against Django's ``AbstractBaseUser`` and never import ``accounts``.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, TypeGuard

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from kommunedialog.accounts.models import User as Person
else:
    from django.contrib.auth.base_user import AbstractBaseUser as Person


class System(enum.Enum):
    """The system as actor: there is exactly one."""

    SYSTEM = "system"

    def __str__(self) -> str:
        return self.value


SYSTEM = System.SYSTEM

type Actor = Person | System


def is_person(actor: object) -> TypeGuard[Person]:
    return isinstance(actor, Person) and actor.is_authenticated


def person(request: HttpRequest) -> Person:
    """The signed-in person making ``request``; views behind a login call it to get a typed actor."""
    user = getattr(request, "user", None)
    if is_person(user):
        return user
    raise PermissionDenied("Sign in first")


def actor_label(actor: Actor) -> str:
    return str(SYSTEM) if isinstance(actor, System) else actor.get_username()


__all__ = ["SYSTEM", "Actor", "Person", "System", "actor_label", "is_person", "person"]
