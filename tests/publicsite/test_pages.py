from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_front_page_lists_offices_counties_and_municipalities(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/kommuner/') == 357
    assert html.count('<h2 class="ds-heading" data-size="md" id="office-') == 10
    assert html.count('<h3 class="ds-heading" data-size="sm">') == 15
    assert "Statsforvalteren i Rogaland" in html


def test_municipality_page_shows_its_facts(client):
    response = client.get("/kommuner/3222/")
    assert response.status_code == 200
    facts = response.context["m"]
    assert (facts.number, facts.county.number, facts.kostra_group.code) == ("3222", "32", "EKG10")
    html = response.content.decode()
    assert '<h1 class="ds-heading" data-size="lg">Lørenskog</h1>' in html
    assert "<td>3029</td><td>Lørenskog</td><td>3222</td>" in html
    assert "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus" in html


def test_a_former_number_redirects_to_its_successor(client):
    response = client.get("/kommuner/3029/")
    assert (response.status_code, response.headers["Location"]) == (301, "/kommuner/3222/")


def test_a_split_number_lists_its_parts(client):
    response = client.get("/kommuner/1507/")
    assert response.status_code == 200
    assert [s.number for s in response.context["successors"]] == ["1508", "1580"]


@pytest.mark.parametrize("number", ["9999", "0000", "abcd", "12345"])
def test_unknown_numbers_are_404(client, number):
    assert client.get(f"/kommuner/{number}/").status_code == 404


def test_search_by_name_number_and_former_number(client):
    by_name = client.get("/sok/", {"q": "hjelm"}).context["result"]
    assert [m.number for m in by_name.municipalities] == ["1133"]
    by_number = client.get("/sok/", {"q": "1133"}).context["result"]
    assert [m.number for m in by_number.municipalities] == ["1133"]
    former = client.get("/sok/", {"q": "3029"}).context["result"]
    assert (former.municipalities, [(h.number, [s.number for s in h.successors]) for h in former.former_codes]) == (
        [],
        [("3029", ["3222"])],
    )


def test_search_answers_htmx_with_a_fragment(client):
    response = client.get("/sok/", {"q": "suldal"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert '<a class="ds-link" href="/kommuner/1134/">1134 Suldal (Rogaland)</a>' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("nb", "Kommuner og statsforvaltere"),
        ("nn", "Kommunar og statsforvaltarar"),
        ("en", "Municipalities and County Governors"),
    ],
)
def test_front_page_in_each_language(client, language, heading):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    assert heading in html
    translation.activate("nb")


def test_accessibility_statement(client):
    response = client.get("/tilgjengelighetserklaering/")
    assert response.status_code == 200
    assert "WCAG 2.1" in response.content.decode()
