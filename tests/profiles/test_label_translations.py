"""Every domain name, rating and state of the kommunebilde has its nynorsk and bokmål translation, and is
in the English catalogue: a reader never meets a raw value or another language's label."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.db.models import Choices
from django.utils import translation

from kommunedialog.core.domains import Domain
from kommunedialog.profiles.models import Rating
from kommunedialog.profiles.states import State

LABELS: list[type[Choices]] = [Domain, Rating, State]


def _catalog(language: str) -> dict[str, str]:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {m.id: ("" if m.fuzzy else m.string) for m in catalog if isinstance(m.id, str) and m.id}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_domain_rating_and_state_is_translated(language):
    catalog = _catalog(language)
    with translation.override(None):  # no catalogue: the label is its msgid
        msgids = [str(member.label) for choices in LABELS for member in choices]
    missing = [msgid for msgid in msgids if msgid not in catalog]
    # English is the source language: its catalogue lists the label; nb and nn must say it in their words.
    empty = [] if language == "en" else [msgid for msgid in msgids if msgid in catalog and not catalog[msgid]]
    assert len(msgids) == len(Domain) + len(Rating) + len(State)
    assert (missing, empty) == ([], [])
