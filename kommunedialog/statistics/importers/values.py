"""Reading numbers, status symbols and labels as the files write them."""

from __future__ import annotations

import re
import unicodedata

from kommunedialog.statistics.cells import ImportRefused
from kommunedialog.statistics.jsonstat import MISSING_SYMBOLS

# Words files use for a figure withheld or not yet there; kept as SSB's symbols, never as numbers.
_SUPPRESSED = ("prikket", "anonymisert")
_NOT_YET = ("avventer", "ikke tilgjengelig")


def number(raw: object, where: str) -> tuple[float | None, str]:
    """A cell's value and status symbol: ``12``, ``4.5``, ``"4,5"`` → a number; ``.``, ``..``, ``:`` → the
    symbol; "Prikket (<5)" → ``:``; anything else is refused with the place it was found."""
    if raw is None:
        return None, ""
    if isinstance(raw, bool):
        raise ImportRefused(f"{where}: {raw!r} is not a number")
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ImportRefused(f"{where}: {raw!r} is not a finite number")
        return float(raw), ""
    text = str(raw).strip()
    if not text:
        return None, ""
    if text in MISSING_SYMBOLS:
        return None, text
    if any(word in text.lower() for word in _SUPPRESSED):
        return None, ":"
    if any(word in text.lower() for word in _NOT_YET):
        return None, ".."
    try:
        return float(text.replace("\u00a0", "").replace(" ", "").replace(",", ".")), ""
    except ValueError:
        raise ImportRefused(f"{where}: {text[:30]!r} is neither a number nor a status symbol") from None


def slug(text: str) -> str:
    """A stable code for a label ("Frie inntekter per innbygger (kr)" → "frie-inntekter-per-innbygger")."""
    text = re.sub(r"\([^)]*\)\s*$", "", str(text)).strip()
    lowered = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("≥", "min")
    folded = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:80]


def municipality_code(raw: object, where: str) -> str:
    """A four-digit municipality number from a cell that may hold it as a number (Oslo = 301)."""
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text.isdigit() or len(text) > 4:
        raise ImportRefused(f"{where}: {text[:20]!r} is not a municipality number")
    return text.zfill(4)


def require_columns(header: list[str], wanted: tuple[str, ...], what: str) -> dict[str, int]:
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ImportRefused(f"{what}: the columns {', '.join(missing)} are missing (found {', '.join(header[:12])})")
    return {c: header.index(c) for c in wanted}
