"""Picking a text in the reader's language, where a text is given per language (catalogue entries,
calls in bokmål and nynorsk, frozen snapshot names, open data descriptions)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language


def localised(texts: Mapping[str, str], language: str | None = None) -> str:
    """The text in ``language`` (default: the active one); bokmål where that language has none, then
    whichever text there is."""
    language = (language or get_language() or "nb")[:2]
    return texts.get(language) or texts.get("nb") or next((t for t in texts.values() if t), "")
