"""The site's icon: /favicon.ico leads to the SVG, and every page names it."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_svg_icon():
    response = Client().get("/favicon.ico")
    assert (response.status_code, response.headers["Location"]) == (301, "/static/core/favicon.svg")
    found = finders.find("core/favicon.svg")
    assert found is not None
    with open(found, encoding="utf-8") as icon:
        assert icon.read().startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">')


def test_favicon_refuses_a_post():
    assert Client().post("/favicon.ico").status_code == 405


def test_every_page_names_the_icon():
    html = Client().get("/", headers={"Accept-Language": "nb"}).content.decode()
    assert '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">' in html
