"""The public pages in the reader's language, without glitches: a name is given its county once, and
the population fact quotes the year of the table it is taken from."""

from __future__ import annotations

import orjson
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


@pytest.fixture
def population_2022():
    from django.utils import timezone

    from kommunedialog.statistics import jsonstat
    from kommunedialog.statistics import services as statistics_services
    from tests.statistics.conftest import V1_07459, read

    statistics_services.statistics_import(
        datasets=[jsonstat.parse(orjson.loads(read(V1_07459)))], origin="test", fetched_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "<dd>2\xa0534 (1. januar 2022)</dd>"),
        ("nn", "<dd>2\xa0534 (1. januar 2022)</dd>"),
        ("en", "<dd>2,534 (1 January 2022)</dd>"),
    ],
)
def test_the_population_fact_quotes_the_year_of_its_table(client, population_2022, language, expected):
    html = client.get("/kommuner/1133/", headers={"Accept-Language": language}).content.decode()
    assert expected in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", ["kr per innbygger", "prosent", "timer per uke"]),
        ("nn", ["kr per innbyggjar", "prosent", "timar per veke"]),
        ("en", ["NOK per inhabitant", "per cent", "hours per week"]),
    ],
)
def test_units_in_the_readers_language(language, expected):
    from django.template import Context, Template
    from django.utils import translation

    from kommunedialog.statistics import catalogue
    from kommunedialog.statistics.units import UNITS

    units = ["kr per innbygger", "prosent", "timer per uke"]
    with translation.override(language):
        template = Template("{% load statistics_tags %}{{ u|unit_text }}")
        assert [template.render(Context({"u": u})) for u in units] == expected
    assert {i.unit for i in catalogue.indicators()} <= set(UNITS)  # every unit of the catalogue has its words
