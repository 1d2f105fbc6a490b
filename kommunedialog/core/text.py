"""Text as people type it, made safe to store and show: Unicode NFC (one form for "é", however it was
typed) and no invisible control characters. Bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069) can make a text read differently from what it holds ("gpj.exe" shown as "exe.jpg"); the
other format and control characters (zero-width spaces, the BOM, C0 and C1 controls) hide text from the
reader and from search. Line breaks and tabs stay."""

from __future__ import annotations

import unicodedata

KEPT = frozenset("\n\r\t")


def tidy(text: str) -> str:
    normal = unicodedata.normalize("NFC", text)
    return "".join(c for c in normal if c in KEPT or unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
