from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from kommunedialog.accounts import services
from kommunedialog.accounts.models import Role, User
from kommunedialog.registry.models import Municipality, Office

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    """A user, optionally with one role: ``UserFactory(role="staff", office="rogaland")`` or
    ``UserFactory(role="municipality_user", municipality="1133")``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not extracted:
            return
        office = self._office if hasattr(self, "_office") else None
        municipality = self._municipality if hasattr(self, "_municipality") else None
        services.role_grant(actor=None, user=self, role=Role(extracted), office=office, municipality=municipality)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        office_code = kwargs.pop("office", None)
        number = kwargs.pop("municipality", None)
        user = super()._create(model_class, *args, **kwargs)
        user._office = Office.objects.get(code=office_code) if office_code else None  # type: ignore[attr-defined]
        user._municipality = (  # type: ignore[attr-defined]
            Municipality.objects.current().get(number=number) if number else None
        )
        return user
