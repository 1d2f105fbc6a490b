"""Shared fixtures. The register is imported once per test session from the real files in ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import UserFactory

IN_CI = os.environ.get("CI") == "true"


def shared_data() -> Path:
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "klass").is_dir():
        pytest.exit(f"The tests read the real data in {path} (../shared/data beside the checkout); it is missing.", 2)
    return path


def load_register() -> None:
    call_command("import_registry", source=shared_data(), stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_register()


@pytest.fixture(autouse=True)
def default_language_after_each_test():  # type: ignore[no-untyped-def]
    # A request through LocaleMiddleware leaves its language active in the thread; reset it so a test
    # never depends on which test ran before it.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def uploads_in_a_temporary_folder(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    # Uploaded files and cached PDFs never land in the checkout.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture
def staff_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(role="staff", office="rogaland")
