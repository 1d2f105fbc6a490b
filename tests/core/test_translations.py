"""Every user-facing string exists in bokmål and nynorsk (språklova): no empty or fuzzy entries.

In CI, `make test` re-extracts the strings first (makemessages), so a string added to the code
without a translation shows up here as empty.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(language):
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    entries = [m for m in catalog if m.id]
    untranslated = [m.id for m in entries if not all(m.string) if isinstance(m.string, tuple)] + [
        m.id for m in entries if isinstance(m.string, str) and not m.string
    ]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert len(entries) > 100
    assert (untranslated, fuzzy) == ([], [])
