"""The staff editor shows one domain at a time beside a list of every domain's state. Which domain is
open comes from the address (``?omrade=<assessment id>``), so the list is plain links and the editor
works with JavaScript off; a domain whose save was refused stays open with what was typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse

from kommunedialog.profiles.models import Profile

PARAMETER = "omrade"


def domain_url(profile: Profile, assessment_id: int) -> str:
    return f"{reverse('profiles:profile_edit', args=[profile.pk])}?{PARAMETER}={assessment_id}#domains-heading"


def open_domain(panels: Sequence[Mapping[str, Any]], requested: str | None, refused: int | None = None) -> int | None:
    """The assessment whose panel is open: the one whose save was just refused, else the one asked for,
    else the first without a rating, else the first."""
    ids: list[int] = [panel["assessment"].pk for panel in panels]
    if refused in ids:
        return refused
    if requested and requested.isdigit() and int(requested) in ids:
        return int(requested)
    unrated: list[int] = [panel["assessment"].pk for panel in panels if not panel["assessment"].rating]
    first = unrated or ids
    return first[0] if first else None


def domain_list(profile: Profile, panels: Sequence[Mapping[str, Any]], current: int | None) -> list[dict[str, Any]]:
    """Every domain with its state, for the side list: rating (or none yet), justification written."""
    return [
        {
            "assessment": panel["assessment"],
            "url": domain_url(profile, panel["assessment"].pk),
            "current": panel["assessment"].pk == current,
            "justified": bool(panel["assessment"].justification.strip()),
        }
        for panel in panels
    ]
