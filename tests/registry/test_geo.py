"""Boundaries for the office maps: SSB's county maps read in place, rounded to 100 m, imported once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kommunedialog.registry.geo import boundary, read_county_maps
from kommunedialog.registry.models import Boundary
from tests.conftest import shared_data

SQUARE = [[[0.0, 6_500_000.0], [1_000.0, 6_500_000.0], [1_000.0, 6_501_000.0], [0.0, 6_501_000.0], [0.0, 6_500_000.0]]]


def test_a_polygon_becomes_a_path_in_100_m_units_with_y_pointing_down():
    spec = boundary("1133", {"type": "Polygon", "coordinates": SQUARE})
    assert spec.path == "M0 -65000 10 -65000 10 -65010 0 -65010 0 -65000Z"
    assert (spec.min_x, spec.min_y, spec.max_x, spec.max_y) == (0, -65010, 10, -65000)


def test_repeated_points_and_islets_smaller_than_the_grid_are_dropped():
    islet = [[[5.0, 6_400_000.0], [20.0, 6_400_010.0], [30.0, 6_400_000.0], [5.0, 6_400_000.0]]]
    spec = boundary("1133", {"type": "MultiPolygon", "coordinates": [SQUARE, islet]})
    assert spec.path.count("M") == 1


def test_a_point_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="expected a Polygon or MultiPolygon, got 'Point'"):
        boundary("1133", {"type": "Point", "coordinates": [0, 0]})


def test_a_file_in_another_projection_is_reported_and_skipped(tmp_path: Path):
    (tmp_path / "no-fylke-11.geo.json").write_text(
        json.dumps({"type": "FeatureCollection", "crs": {"properties": {"name": "EPSG:4326"}}, "features": []})
    )
    (tmp_path / "no-fylke-15.geo.json").write_text("{truncated")
    problems: list[str] = []
    assert read_county_maps(tmp_path, problems) == {}
    assert problems[0] == "no-fylke-11.geo.json: expected coordinates in EPSG::25833 (UTM 33N), got EPSG:4326"
    assert problems[1].startswith("no-fylke-15.geo.json: cannot be read as JSON")


@pytest.mark.django_db
def test_the_register_import_holds_every_current_municipalitys_boundary():
    assert Boundary.objects.count() == 357
    hjelmeland = Boundary.objects.get(number="1133")
    assert hjelmeland.path.startswith("M")
    assert hjelmeland.min_x < hjelmeland.max_x
    assert hjelmeland.min_y < hjelmeland.max_y
    maps = read_county_maps(shared_data() / "geo" / "ssb-mimir-2024", [])
    assert hjelmeland.path == maps["1133"].path
