"""Fixtures for Prosjektskjønn: the actors of the transition tables, an open call in Rogaland, and
applications brought to any state through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict
from django.utils import translation

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.grants.models import Application, Call, Decision, Message, Project, Report, Review
from tests.factories import CallFactory, UserFactory, advance, complete_application

# Hjelmeland (1133) leads, Sauda (1135) is its partner; Suldal (1134) is another municipality in the
# same office; Vestland is another office.
ACTORS: dict[str, Any] = {
    "applicant_own": {"role": "municipality_user", "municipality": "1133"},
    "applicant_partner": {"role": "municipality_user", "municipality": "1135"},
    "applicant_other": {"role": "municipality_user", "municipality": "1134"},
    "staff_own": {"role": "staff", "office": "rogaland"},
    "coordinator_own": {"role": "coordinator", "office": "rogaland"},
    "staff_other": {"role": "staff", "office": "vestland"},
    "coordinator_other": {"role": "coordinator", "office": "vestland"},
    "ministry": {"role": "ministry"},
    "admin": {"role": "admin"},
    "anonymous": "anonymous",
    "system": SYSTEM,
}


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    # Assertions read the English source texts, which the bokmål and nynorsk catalogues translate.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Every test makes several users; Argon2 would spend most of the run hashing their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_actor(name: str) -> Any:
    spec = ACTORS[name]
    if spec is SYSTEM:
        return SYSTEM
    if spec == "anonymous":
        return AnonymousUser()
    return UserFactory(**spec)


@pytest.fixture
def people(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "applicant": UserFactory(role="municipality_user", municipality="1133", email="hjelmeland@example.invalid"),
        "staff": UserFactory(role="staff", office="rogaland", email="sindre@example.invalid"),
        "coordinator": UserFactory(role="coordinator", office="rogaland", email="kari@example.invalid"),
    }


@pytest.fixture
def call(db) -> Call:  # type: ignore[no-untyped-def]
    return CallFactory()


@pytest.fixture
def application_in(call, people):  # type: ignore[no-untyped-def]
    """``application_in("recommended")``: Hjelmeland's joint application (with Sauda) in that state."""

    def build(state: str, **kwargs: Any) -> Application:
        application = complete_application(call, applicant=people["applicant"], partners=("1135",), **kwargs)
        return advance(application, state, **people)  # type: ignore[arg-type]

    return build


def snapshot(application: Application) -> dict[str, Any]:
    """Everything a refused action must leave as it was."""
    application.refresh_from_db()
    call = Call.objects.get(pk=application.call_id)
    return {
        "application": model_to_dict(application),
        "partners": sorted(application.partners.values_list("pk", flat=True)),
        "call": model_to_dict(call),
        "counts": (
            AuditEvent.objects.count(),
            Decision.objects.count(),
            Project.objects.count(),
            Report.objects.count(),
            Message.objects.count(),
            Review.objects.count(),
        ),
    }
