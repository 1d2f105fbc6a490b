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


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1 nonconformity, 1 remark,"), ("nb", "1 avvik, 1 merknad,"), ("nn", "1 avvik, 1 merknad,")],
)
def test_the_staff_evidence_agrees_in_number(language, expected):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    supervision = SimpleNamespace(
        get_authority_display=lambda: "Statsforvaltaren",
        topic="Barnevern",
        carried_out_on=None,
        nonconformity_count=1,
        remark_count=1,
        get_status_display=lambda: "open",
    )
    evidence = SimpleNamespace(open_nonconformities=1, in_robek=False, supervisions=[supervision])
    with translation.override(language):
        html = " ".join(render_to_string("profiles/_evidence.html", {"evidence": evidence}).split())
    assert expected in html
