"""The public pages in the reader's language, without glitches: a name is given its county once, and
the population fact quotes the year of the table it is taken from."""

from __future__ import annotations

import pytest

from kommunedialog.registry.models import Municipality

pytestmark = pytest.mark.django_db


def test_a_name_that_carries_its_county_is_not_given_it_twice():
    names = {m.number: m.name_with_county for m in Municipality.objects.current().filter(number__in=["3419", "1133"])}
    assert names == {"3419": "Våler (Innlandet)", "1133": "Hjelmeland (Rogaland)"}


def test_the_search_names_each_municipality_with_its_county_once(client):
    html = client.get("/sok/", {"q": "våler"}, headers={"HX-Request": "true"}).content.decode()
    assert '<a class="ds-link" href="/kommuner/3419/">3419 Våler (Innlandet)</a>' in html
    assert "(Innlandet) (Innlandet)" not in html
