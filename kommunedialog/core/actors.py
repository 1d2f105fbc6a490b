"""Who acts: a signed-in person, or the system itself (a scheduled task, an import run by an operator).

Every service takes ``actor: Actor``. The person is typed as Django's ``AbstractBaseUser`` so that the
lowest floors (core, registry) can name it without importing ``accounts``; the roles a person holds
are looked up by ``accounts.access``.
"""

from __future__ import annotations

import enum
from typing import TypeGuard

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class System(enum.Enum):
    """The system as actor: there is exactly one."""

    SYSTEM = "system"

    def __str__(self) -> str:
        return self.value


SYSTEM = System.SYSTEM

Person = AbstractBaseUser
Actor = AbstractBaseUser | System


def is_person(actor: Actor | AnonymousUser | None) -> TypeGuard[AbstractBaseUser]:
    return isinstance(actor, AbstractBaseUser) and actor.is_authenticated


def person(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in person making ``request``; views behind a login call it to get a typed actor."""
    user = getattr(request, "user", None)
    if isinstance(user, AbstractBaseUser) and user.is_authenticated:
        return user
    raise PermissionDenied("Sign in first")


def actor_label(actor: Actor) -> str:
    return str(SYSTEM) if isinstance(actor, System) else actor.get_username()
