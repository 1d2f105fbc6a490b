"""The public indicator catalogue page: definitions, polarity with its reason, sources with the state of
their SSB codes, and how far the stored figures reach."""

from __future__ import annotations

import re

import pytest

from kommunedialog.statistics import importers, services
from tests.statistics.conftest import V2_12134, data_path

pytestmark = pytest.mark.django_db


def page(client, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    response = client.get("/statistikk/indikatorer/", headers={"Accept-Language": language})
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def article(html: str, key: str) -> str:
    start = html.index(f'id="catalogue-{key}"')
    return html[start : html.index("</article>", start)]


def test_the_page_lists_every_unverified_ssb_code(client):
    html = page(client)
    unverified = html[
        html.index('id="unverified-heading"') : html.index("</section>", html.index('id="unverified-heading"'))
    ]
    assert unverified.count("<li><code>") == 38
    assert "<li><code>12134/KOSAGD230000/</code></li>" in unverified
    assert "<code>12134/KOSAG110000/</code>" not in unverified
    frie = article(html, "free_income_per_capita")
    assert (
        "<code>12134/KOSAG110000/</code> – verified in the recorded SSB answer "
        "ssb/v2-12134-jsonstat2-0301-4601-5001-2024.json"
    ) in frie
    result = article(html, "net_operating_result_pct")
    assert "<code>12134/KOSAGD230000/</code> – <strong>unverified</strong>" in result
    assert "Higher is better. Et overskudd over tid gir handlingsrom" in result
    projection = article(html, "projected_population")
    assert "verified in SSB's recorded metadata ssb/metadata/v1-14746-metadata.json" in projection


def test_the_page_says_how_far_the_figures_reach_and_when_there_are_none(client):
    [batch] = importers.read(data_path(V2_12134))
    services.statistics_import(batches=[batch], origin="test")
    html = page(client)
    assert "<dt>Figures stored</dt> <dd> 3 municipalities, 2024–2024 </dd>" in article(html, "free_income_per_capita")
    assert "None yet: no real figures have been imported." in article(html, "net_debt_per_capita")
    assert "Registered by the office; no importer." in article(html, "start_loans")
    social = article(html, "social_assistance_net_expenditure_per_capita")
    assert "<dt>Computed as</dt>" in social
    assert "(1 January of the next year) × 1000" in social


def test_the_page_is_reached_from_a_municipality_page_and_reads_in_nynorsk(client):
    municipality = client.get("/kommuner/1133/", headers={"Accept-Language": "nn"}).content.decode()
    assert 'href="/statistikk/indikatorer/"' in municipality
    html = page(client, "nn")
    assert "Frie inntekter per innbyggjar" in html
    assert "Skatt på inntekt og formue pluss rammetilskot" in html
