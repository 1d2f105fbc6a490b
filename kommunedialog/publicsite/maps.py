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
    min_x: int
    min_y: int
    width: int
    height: int
    areas: list[Area]

    @property
    def view_box(self) -> str:
        return f"{self.min_x} {self.min_y} {self.width} {self.height}"

    @property
    def pixel_height(self) -> int:
        """The image's height when drawn 480 pixels wide."""
        return round(480 * self.height / self.width)

    @property
    def hatch(self) -> int:
        """The hatching's spacing, so that it looks the same on a small county and a large one."""
        return max(self.width, self.height) // 120 or 1

    @property
    def stripe(self) -> int:
        return max(self.hatch // 3, 1)


@dataclass(frozen=True)
class OfficeList:
    """The office's municipalities, each marked published or not, in alphabetical order."""

    office: Office
    published: list[Municipality]
    unpublished: list[Municipality]

    @property
    def total(self) -> int:
        return len(self.published) + len(self.unpublished)


def _municipalities(office: Office) -> list[Municipality]:
    has_picture = PublishedProfile.objects.filter(municipality=OuterRef("pk"), office=office)
    return list(
        Municipality.objects.current()
        .filter(county__office=office)
        .annotate(published=Exists(has_picture))
        .order_by("name_norwegian", "number")
    )


def office_list(subject: Municipality) -> OfficeList | None:
    """What the map shows, in words, for the municipality page (one query)."""
    office = subject.office
    if office is None:
        return None
    found = _municipalities(office)
    return OfficeList(
        office,
        [m for m in found if m.published],  # type: ignore[attr-defined]
        [m for m in found if not m.published],  # type: ignore[attr-defined]
    )


def office_map(subject: Municipality) -> OfficeMap | None:
    """The map of ``subject``'s office (two queries), or None where no boundaries are imported."""
    office = subject.office
    if office is None:
        return None
    municipalities = {m.number: m for m in _municipalities(office)}
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
    return OfficeMap(office, min_x, min_y, width, height, areas)
