"""Every label a reader can meet as a choice — domains, ratings, the states of every document and every
TextChoices in the project, and every workflow step — has its bokmål and nynorsk translation and is in
the English catalogue. A raw value or another language's label never reaches a page, the PDF or the API."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation

import kommunedialog
from kommunedialog.core.workflow import Workflow


def _import_all() -> None:
    for module in pkgutil.walk_packages(kommunedialog.__path__, "kommunedialog."):
        if ".migrations" in module.name or ".management" in module.name or module.name.endswith(".tests"):
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def choices_classes() -> list[type[TextChoices]]:
    _import_all()
    return sorted(
        {c for c in _subclasses(TextChoices) if c.__module__.startswith("kommunedialog.")},
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def workflows() -> list[Workflow]:
    _import_all()
    from kommunedialog.grants import workflow as grants_workflow
    from kommunedialog.profiles import workflow as profiles_workflow

    return [w for m in (grants_workflow, profiles_workflow) for w in vars(m).values() if isinstance(w, Workflow)]


def labels() -> dict[str, str]:
    """msgid -> where it is used."""
    with translation.override(None):  # no catalogue: a label is its msgid
        found = {
            str(member.label): f"{c.__module__}.{c.__qualname__}.{member.name}"
            for c in choices_classes()
            for member in c
        }
        for w in workflows():
            for t in w.transitions:
                found.setdefault(str(t.label), f"{w.audit_prefix}.{t.action}")
    return found


def _catalog(language: str) -> dict[str, str]:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {m.id: ("" if m.fuzzy else m.string) for m in catalog if isinstance(m.id, str) and m.id}


def untranslated(language: str, found: dict[str, str]) -> list[str]:
    catalog = _catalog(language)
    missing = [where for msgid, where in found.items() if msgid not in catalog]
    # English is the source language: its catalogue lists the label; nb and nn must say it in their words.
    if language != "en":
        missing += [where for msgid, where in found.items() if msgid in catalog and not catalog[msgid]]
    return sorted(missing)


def test_the_sweep_sees_every_kind_of_label():
    names = {c.__qualname__ for c in choices_classes()}
    assert {"Domain", "Rating", "State", "CallState", "ApplicationState"} <= names
    assert {w.audit_prefix for w in workflows()} >= {"profile"}
    assert len(labels()) > 100


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_choice_state_and_step_is_translated(language):
    assert untranslated(language, labels()) == []


def test_a_missing_translation_fails():
    assert untranslated("nn", {"A label nobody has translated": "somewhere.LABEL"}) == ["somewhere.LABEL"]
