"""The office map: which municipalities have a published kommunebilde, never what it says."""

from __future__ import annotations

import re

import pytest

from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


def map_section(client, number: str) -> str:  # type: ignore[no-untyped-def]
    html = client.get(f"/kommuner/{number}/", headers={"Accept-Language": "en"}).content.decode()
    start = html.index('<section aria-labelledby="office-map-heading"')
    return re.sub(r"\s+", " ", html[start : html.index("</section>", start)])


def test_the_map_marks_the_published_municipality_and_outlines_the_subject(client):
    make_scenario()  # publishes a kommunebilde for 1133 Hjelmeland (Rogaland)
    section = map_section(client, "1134")
    assert "1 of the office's 23 municipalities has a published kommunebilde." in section
    assert (
        '<img src="/kommuner/1134/kart.svg" alt="Map of the municipalities of Statsforvalteren i Rogaland:' in section
    )
    assert '<li><a class="ds-link" href="/kommuner/1133/">Hjelmeland</a> – published kommunebilde</li>' in section
    assert '<li><a class="ds-link" href="/kommuner/1134/">Suldal</a> – not published yet</li>' in section


def test_the_map_says_nothing_about_ratings(client):
    make_scenario()
    section = map_section(client, "1133")
    for word in ("Good", "Improvement potential", "Vulnerable", "rating"):
        assert word not in section


def test_no_published_picture_in_the_office(client):
    section = map_section(client, "4601")
    assert "0 of the office's 43 municipalities have a published kommunebilde." in section
    assert "– published kommunebilde" not in section


def test_the_map_image_hatches_the_published_municipality_and_outlines_the_subject(client):
    make_scenario()
    response = client.get("/kommuner/1134/kart.svg")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.count("<path ") == 23
    assert svg.count('fill="url(#hatch)"') == 1
    assert svg.count('stroke-width="3"') == 1
    # Drawn last, so that its outline lies over its neighbours'.
    last = svg[svg.rindex("<path ") :]
    assert 'stroke-width="3"' in last
    assert "<title>Suldal</title>" in last


def test_the_map_image_of_an_unknown_municipality_is_404(client):
    assert client.get("/kommuner/0000/kart.svg").status_code == 404
