"""Municipality boundaries as SVG paths, for the office maps on the public site.

The source is SSB's own simplified county maps (one GeoJSON file per county, EPSG:25833, metres), so
no projection is needed: coordinates are rounded to 100 m, the y axis turned to point down as SVG's
does, and repeated points dropped. A county's paths are then a few kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

STEP_METRES = 100
CRS = "EPSG::25833"


@dataclass(frozen=True)
class BoundarySpec:
    number: str
    path: str
    min_x: int
    min_y: int
    max_x: int
    max_y: int


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coordinates)
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    raise ValueError(f"expected a Polygon or MultiPolygon, got {kind!r}")


def boundary(number: str, geometry: dict[str, Any]) -> BoundarySpec:
    parts: list[str] = []
    xs: list[int] = []
    ys: list[int] = []
    for ring in _rings(geometry):
        points: list[tuple[int, int]] = []
        for x, y, *_ in ring:
            point = (round(x / STEP_METRES), round(-y / STEP_METRES))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) < 3:
            continue  # an islet smaller than the grid
        xs.extend(p[0] for p in points)
        ys.extend(p[1] for p in points)
        parts.append("M" + " ".join(f"{px} {py}" for px, py in points) + "Z")
    if not parts:
        raise ValueError("no ring larger than the 100 m grid")
    return BoundarySpec(number, "".join(parts), min(xs), min(ys), max(xs), max(ys))


def read_county_maps(folder: Path, problems: list[str]) -> dict[str, BoundarySpec]:
    """Every ``no-fylke-NN.geo.json`` in ``folder``: municipality number -> its boundary."""
    import json

    found: dict[str, BoundarySpec] = {}
    for path in sorted(folder.glob("no-fylke-*.geo.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: cannot be read as JSON ({exc})")
            continue
        crs = str(data.get("crs", {}).get("properties", {}).get("name", ""))
        if not crs.endswith(CRS):
            problems.append(f"{path.name}: expected coordinates in {CRS} (UTM 33N), got {crs or 'none'}")
            continue
        for i, feature in enumerate(data.get("features", []), start=1):
            number = str(feature.get("properties", {}).get("KOMMUNENR", ""))
            try:
                found[number] = boundary(number, feature.get("geometry") or {})
            except (TypeError, ValueError) as exc:
                problems.append(f"{path.name} feature {i} ({number or 'no KOMMUNENR'}): {exc}")
    return found


def read_neighbours(path: Path, problems: list[str]) -> set[tuple[str, str]]:
    """Pairs of municipality numbers whose outlines share an arc in a TopoJSON file (``kommunenummer`` in
    each geometry's properties): neighbours on land. Each pair once, the lower number first."""
    import json

    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        [collection] = topology["objects"].values()
        geometries = collection["geometries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(f"{path.name}: not a TopoJSON file with one collection of municipalities ({exc})")
        return set()
    owners: dict[int, set[str]] = {}

    def walk(arcs: Any, number: str) -> None:
        if isinstance(arcs, int):
            owners.setdefault(arcs if arcs >= 0 else ~arcs, set()).add(number)
        elif isinstance(arcs, list):
            for item in arcs:
                walk(item, number)

    for geometry in geometries:
        number = str((geometry.get("properties") or {}).get("kommunenummer", "")).zfill(4)
        walk(geometry.get("arcs", []), number)
    pairs: set[tuple[str, str]] = set()
    for numbers in owners.values():
        ordered = sorted(numbers)
        pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    return pairs
