"""What changed between the version sent on consultation and the kommunebilde as it is now."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    rating_before: str | None
    rating_after: str | None
    pieces: list[Piece]


def word_diff(before: str, after: str) -> list[Piece]:
    a, b = before.split(), after.split()
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", " ".join(b[j1:j2])))
    return pieces


def changes(sent: dict[str, Any], now: dict[str, Any]) -> list[FieldChange]:
    """Only what differs: the overall picture, and per domain its rating and justification."""
    found = []
    if sent.get("overall_picture") != now.get("overall_picture"):
        found.append(
            FieldChange("overall_picture", None, None, word_diff(sent["overall_picture"], now["overall_picture"]))
        )
    sent_domains = {d["title"]: d for d in sent.get("domains", [])}
    for domain in now.get("domains", []):
        old = sent_domains.get(domain["title"], {"rating": None, "justification": ""})
        if old["rating"] != domain["rating"] or old["justification"] != domain["justification"]:
            found.append(
                FieldChange(
                    domain["title"],
                    old["rating"] if old["rating"] != domain["rating"] else None,
                    domain["rating"] if old["rating"] != domain["rating"] else None,
                    word_diff(old["justification"], domain["justification"]),
                )
            )
    return found
