"""Open data API for the kommunebilde, mounted under /api/v1/ by kommunedialog.api.api.

It reads published snapshots only (``PublishedProfile``): a draft, a consultation version or an
unpublished profile has no address here, so every id that is not a published snapshot is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from ninja import Router, Schema

from kommunedialog.core.domains import Domain
from kommunedialog.profiles import public
from kommunedialog.profiles.models import PublishedProfile, Rating
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics.units import unit_text

router = Router(tags=["kommunebilde"])


class SnapshotOut(Schema):
    id: int
    municipality: str
    office: str
    cycle: str
    year: int
    published_at: dt.datetime
    data_as_of: dt.date
    content_hash: str
    current: bool
    page_url: str
    pdf_url: str | None


class SnapshotDetailOut(SnapshotOut):
    content: dict[str, Any]
    labels: dict[str, Any]


LANGUAGES = ("nb", "nn", "en")


def request_language(request: HttpRequest) -> str:
    """?lang= when given, else the language Accept-Language chose (LocaleMiddleware); bokmål otherwise."""
    asked = (request.GET.get("lang") or get_language() or "nb")[:2]
    return asked if asked in LANGUAGES else "nb"


def _statistics(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, dict):
        own = [content] if content.get("kind") == "statistic" else []
        return own + [s for v in content.values() for s in _statistics(v)]
    if isinstance(content, list):
        return [s for v in content for s in _statistics(v)]
    return []


def labels(content: dict[str, Any], language: str) -> dict[str, Any]:
    """The words for the snapshot's coded values in ``language``: domains, ratings, states, and each
    statistic's unit (``unit_name``), so a client never shows a raw value."""
    with translation.override(language):
        return {
            "language": language,
            "domains": {d.value: str(d.label) for d in Domain},
            "ratings": {r.value: str(r.label) for r in Rating},
            "states": {s.value: str(s.label) for s in State},
            "unit_name": {
                s["indicator"]: unit_text(s.get("unit", ""), language) for s in _statistics(content) if "indicator" in s
            },
        }


def _out(snap: PublishedProfile, *, current: bool, with_content: bool = False, language: str = "nb") -> dict[str, Any]:
    number = snap.content["municipality"]["number"]
    out = {
        "id": snap.pk,
        "municipality": number,
        "office": snap.content["office"]["code"],
        "cycle": snap.content["cycle"]["name"],
        "year": snap.content["cycle"]["year"],
        "published_at": snap.published_at,
        "data_as_of": snap.data_as_of,
        "content_hash": snap.content_hash,
        "current": current,
        "page_url": reverse("publicsite:kommunebilde_show", args=[number, snap.pk]),
        # Each snapshot's own PDF, archived ones too (the current one is also at kommunebilde.pdf).
        "pdf_url": reverse("publicsite:kommunebilde_snapshot_download", args=[number, snap.pk]),
    }
    if with_content:
        out["content"] = snap.content
        out["labels"] = labels(snap.content, language)
    return out


def _municipality(number: str) -> Municipality:
    found = Municipality.objects.current().filter(number=number).first()
    if found is None:
        raise Http404("No current municipality with this number")
    return found


@router.get(
    "/municipalities/{number}/kommunebilder",
    response=list[SnapshotOut],
    summary="Published kommunebilder of a municipality",
)
def list_kommunebilder(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """The current published kommunebilde and the archive, newest first. Drafts never appear."""
    found = public.for_municipality(_municipality(number))
    return [_out(s, current=True) for s in found.current] + [_out(s, current=False) for s in found.archive]


@router.get(
    "/municipalities/{number}/kommunebilder/{snapshot_id}",
    response=SnapshotDetailOut,
    summary="One published kommunebilde with its frozen content",
)
def get_kommunebilde(request: HttpRequest, number: str, snapshot_id: int) -> dict[str, Any]:
    """The snapshot exactly as published: texts, ratings, evidence with provenance, and the SHA-256
    of its canonical JSON (``content_hash``) for checking that nothing changed."""
    municipality = _municipality(number)
    snap = public.snapshot_for(municipality, snapshot_id)
    if snap is None:
        raise Http404("No published kommunebilde with this id")
    current = {s.pk for s in public.for_municipality(municipality).current}
    return _out(snap, current=snap.pk in current, with_content=True, language=request_language(request))
