"""Freezing a kommunebilde for publication: one canonical JSON document and its SHA-256.

The document holds every text, rating and evidence value shown publicly, with provenance, so the
public page and the PDF are rendered from it alone. Evidence providers (statistics, oversight) add
their items through ``EVIDENCE_PROVIDERS``; each returns plain JSON-able dicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from kommunedialog.profiles.layouts import CURRENT_LAYOUT, LAYOUTS
from kommunedialog.profiles.models import Assessment, Profile, Rating

SCHEMA_VERSION = 1
# (assessment, data_as_of) -> list of evidence items; registered by the apps that own the evidence.
EVIDENCE_PROVIDERS: list[Callable[[Assessment, dt.date], list[dict[str, Any]]]] = []


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def _rating(value: str) -> dict[str, str] | None:
    if not value:
        return None
    return {"code": value, "label_key": value}


def freeze(profile: Profile, *, published_at: dt.datetime, data_as_of: dt.date) -> dict[str, Any]:
    municipality = profile.municipality
    assessments = profile.assessments.select_related("cycle_domain").order_by("cycle_domain__position")
    return {
        "schema": SCHEMA_VERSION,
        "municipality": {"number": municipality.number, "name": municipality.name},
        "office": {"code": profile.cycle.office.code, "name": profile.cycle.office.name},
        "cycle": {"name": profile.cycle.name, "year": profile.cycle.year},
        "published_at": timezone.localtime(published_at).isoformat(),
        "data_as_of": data_as_of.isoformat(),
        "overall_picture": profile.overall_picture,
        "dialogue_topics": profile.dialogue_topics,
        "meeting_held_on": profile.meeting_held_on.isoformat() if profile.meeting_held_on else None,
        "domains": [
            {
                "title": a.cycle_domain.title,
                "domain": a.cycle_domain.domain,
                "themes": a.cycle_domain.themes,
                "rating": a.rating or Rating.NOT_ASSESSED,
                "split": {k: getattr(a, k) for k in ("competence", "capacity", "quality") if getattr(a, k)},
                "justification": a.justification,
                "evidence": [item for provider in EVIDENCE_PROVIDERS for item in provider(a, data_as_of)],
            }
            for a in assessments
        ],
    }


def render_fragments(frozen: Any) -> dict[str, str]:
    """The public fragment in every language of the site, rendered once at publication in the current
    layout, and the layout's number."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    fragments: dict[str, str] = {"layout": CURRENT_LAYOUT}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            fragments[language] = str(render_to_string(LAYOUTS[CURRENT_LAYOUT], {"snap": frozen}))
    return fragments
