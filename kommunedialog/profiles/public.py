"""What the public sees of the kommunebilde: published snapshots only, never the draft tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kommunedialog.profiles.models import PublishedProfile
from kommunedialog.registry.models import Municipality


@dataclass(frozen=True)
class PublicKommunebilde:
    current: list[PublishedProfile]  # the newest per office (one office per municipality today)
    archive: list[PublishedProfile]


def for_municipality(municipality: Municipality) -> PublicKommunebilde:
    """The municipality's current published kommunebilde and the earlier ones, newest first."""
    snapshots = list(
        PublishedProfile.objects.filter(municipality=municipality).select_related("voice").order_by("-published_at")
    )
    current: list[PublishedProfile] = []
    seen_offices: set[int] = set()
    archive = []
    for snap in snapshots:
        if snap.office_id in seen_offices:
            archive.append(snap)
        else:
            seen_offices.add(snap.office_id)
            current.append(snap)
    return PublicKommunebilde(current=current, archive=archive)


def snapshot_for(municipality: Municipality, snapshot_id: int) -> PublishedProfile | None:
    return PublishedProfile.objects.filter(municipality=municipality, pk=snapshot_id).select_related("voice").first()


def successor(snapshot: PublishedProfile) -> PublishedProfile | None:
    """The kommunebilde that replaced ``snapshot``: the next one published for the municipality by the
    same office (None while it is the current one)."""
    return (
        PublishedProfile.objects.filter(
            municipality_id=snapshot.municipality_id,
            office_id=snapshot.office_id,
            published_at__gt=snapshot.published_at,
        )
        .order_by("published_at")
        .first()
    )


def domains(snapshot: PublishedProfile) -> list[dict[str, Any]]:
    return list(snapshot.content.get("domains", []))


def latest_published_ratings(municipality_ids: list[int]) -> dict[tuple[int, str], str]:
    """The rating each domain had in each municipality's newest published kommunebilde.

    For the staff overview only: it shows the agreed, published rating next to the evidence, never
    a ranking or a score.
    """
    ratings: dict[tuple[int, str], str] = {}
    newest = PublishedProfile.objects.filter(municipality_id__in=municipality_ids).order_by(
        "municipality_id", "-published_at"
    )
    seen: set[int] = set()
    for snap in newest.only("municipality_id", "content"):
        if snap.municipality_id in seen:
            continue
        seen.add(snap.municipality_id)
        for domain in snap.content.get("domains", []):
            if domain.get("domain"):
                ratings[(snap.municipality_id, domain["domain"])] = domain["rating"]
    return ratings
