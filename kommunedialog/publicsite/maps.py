"""The office map on the public municipality page: which of the office's municipalities have a
published kommunebilde. It never shows ratings, and nothing on it is ordered or coloured by them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from kommunedialog.profiles.models import PublishedProfile
from kommunedialog.registry.models import Boundary, Municipality, Office

PADDING = 20  # 2 km around the office's area, in the boundaries' 100 m units


@dataclass(frozen=True)
class Area:
    municipality: Municipality
    path: str
    published: bool
    is_subject: bool


@dataclass(frozen=True)
class OfficeMap:
    office: Office
    view_box: str
    hatch: int  # the hatching's spacing, so it looks the same on a small county and a large one
    areas: list[Area]

    @property
    def stripe(self) -> int:
        return max(self.hatch // 3, 1)

    @property
    def published(self) -> list[Municipality]:
        return sorted((a.municipality for a in self.areas if a.published), key=lambda m: m.name_norwegian)

    @property
    def unpublished(self) -> list[Municipality]:
        return sorted((a.municipality for a in self.areas if not a.published), key=lambda m: m.name_norwegian)


def office_map(subject: Municipality) -> OfficeMap | None:
    """The map of ``subject``'s office (two queries), or None where no boundaries are imported."""
    office = subject.office
    if office is None:
        return None
    has_picture = PublishedProfile.objects.filter(municipality=OuterRef("pk"), office=office)
    municipalities = {
        m.number: m
        for m in Municipality.objects.current()
        .filter(county__office=office)
        .annotate(published=Exists(has_picture))
        .order_by("number")
    }
    boundaries = list(Boundary.objects.filter(number__in=list(municipalities)).order_by("number"))
    if not boundaries:
        return None
    published = {number for number, m in municipalities.items() if m.published}  # type: ignore[attr-defined]
    min_x = min(b.min_x for b in boundaries) - PADDING
    min_y = min(b.min_y for b in boundaries) - PADDING
    width = max(b.max_x for b in boundaries) + PADDING - min_x
    height = max(b.max_y for b in boundaries) + PADDING - min_y
    # The subject last, so its outline is drawn over its neighbours'.
    boundaries.sort(key=lambda b: b.number == subject.number)
    areas = [
        Area(municipalities[b.number], b.path, b.number in published, b.number == subject.number) for b in boundaries
    ]
    return OfficeMap(office, f"{min_x} {min_y} {width} {height}", max(width, height) // 120 or 1, areas)
