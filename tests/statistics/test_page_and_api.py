from __future__ import annotations

import datetime as dt
import io
import re

import orjson
import pytest
from django.core.management import call_command

from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import jsonstat, queries, services
from tests.statistics.conftest import V2_12134, data_path, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported_12134():  # type: ignore[no-untyped-def]
    call_command(
        "import_statistics",
        str(data_path(V2_12134)),
        "--fetched-at",
        "2026-04-25",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def lorenskog_series():  # type: ignore[no-untyped-def]
    """Lørenskog's frie inntekter under its 2020–2023 code (3029) and its 2024 code (3222)."""
    for code, year, value in (("3029", "2022", 60000), ("3029", "2023", 61000), ("3222", "2024", 63000)):
        doc = orjson.loads(read(V2_12134))
        doc["size"] = [1, 1, 1]
        doc["dimension"]["KOKkommuneregion0000"]["category"] = {"index": {code: 0}}
        doc["dimension"]["Tid"]["category"] = {"index": {year: 0}}
        doc["value"] = [value]
        services.statistics_import(
            datasets=[jsonstat.parse(doc)], origin="test", fetched_at=dt.datetime(2026, 4, 25, tzinfo=dt.UTC)
        )


def test_oslo_page_shows_frie_inntekter_2024_with_its_source(client, imported_12134):
    response = client.get("/kommuner/0301/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    article = html[html.index('id="indicator-free_income_per_capita"') :]
    article = re.sub(r"\s+", " ", article[: article.index("</article>")])
    assert "2024: <strong>81,240</strong> NOK" in article
    assert '<th scope="row">Oslo</th> <td>81,240</td>' in article
    assert (
        'Source: Statistics Norway (SSB), table <a class="ds-link" href="https://www.ssb.no/statbank/table/12134">12134</a>, '
        "KOSAG110000. Updated by SSB 16 March 2026; fetched 25 April 2026. Latest year: Final (revised)."
    ) in article
    assert (
        'role="img" aria-labelledby="chart-title-free_income_per_capita chart-desc-free_income_per_capita"' in article
    )
    assert '<title id="chart-title-free_income_per_capita">Free income per inhabitant, 2024</title>' in article
    assert '<text class="statistics__value" font-size="12" fill="#111827" x="456" y="22">81,240</text>' in article
    assert "<caption>Free income per inhabitant (NOK), by year</caption>" in article
    assert '<th scope="row">Norway</th> <td>Not computed: too few municipalities have figures</td>' in article


def test_oslo_page_in_bokmaal_formats_the_number_the_norwegian_way(client, imported_12134):
    html = client.get("/kommuner/0301/").content.decode()
    assert "<strong>81\xa0240</strong>" in html


def test_the_section_costs_three_queries_whatever_the_number_of_indicators(
    imported_12134, django_assert_num_queries, django_assert_max_num_queries, client
):
    lorenskog_series()
    for number in ("0301", "3222", "1133"):
        municipality = Municipality.objects.current().select_related("county", "kostra_group").get(number=number)
        # The municipality's figures, the old codes' figures that fed it, the aggregates.
        with django_assert_num_queries(3):
            queries.municipality_statistics(municipality)
    # The whole page rendered afresh: the content version, facts, kommunebilde, the office list, the statistics.
    with django_assert_max_num_queries(11):
        assert client.get("/kommuner/3222/").status_code == 200


def test_a_renumbered_municipality_has_one_series_on_the_page(client):
    lorenskog_series()
    response = client.get("/kommuner/3222/")
    stats = response.context["statistics"]
    economy = next(d for d in stats.domains if d.domain == "economy")
    item = economy.indicators[0]
    assert [(f.year, f.value, f.region, f.stitch) for f in item.figures] == [
        (2022, 60000, "3029", "renumbered"),
        (2023, 61000, "3029", "renumbered"),
        (2024, 63000, "3222", "same"),
    ]
    assert (item.travel.direction, item.travel.judgement, item.travel.change) == ("up", "no_judgement", 3000)


def test_a_split_municipality_says_its_old_figures_are_not_carried_over(client):
    doc = orjson.loads(read(V2_12134))
    doc["dimension"]["KOKkommuneregion0000"]["category"] = {"index": {"1507": 0, "1508": 1, "1580": 2}}
    doc["dimension"]["Tid"]["category"] = {"index": {"2023": 0}}
    services.statistics_import(datasets=[jsonstat.parse(doc)], origin="test")
    doc["dimension"]["KOKkommuneregion0000"]["category"] = {"index": {"1508": 0, "1580": 1, "0301": 2}}
    doc["dimension"]["Tid"]["category"] = {"index": {"2024": 0}}
    services.statistics_import(datasets=[jsonstat.parse(doc)], origin="test")
    html = client.get("/kommuner/1580/", headers={"Accept-Language": "en"}).content.decode()
    assert "Figures for the former municipality number 1507 (2023) are not part of this series" in re.sub(
        r"\s+", " ", html
    )


def test_municipality_without_figures_lists_what_is_missing(client):
    html = client.get("/kommuner/1133/", headers={"Accept-Language": "en"}).content.decode()
    assert html.count('class="statistics__indicator"') == 0
    assert "No figures imported yet for:" in html
    assert '<a class="ds-link" href="https://www.landbruksdirektoratet.no/nb/reindrift/ressursregnskap">' in html


def test_api_lists_the_catalogue(client):
    body = client.get("/api/v1/indicators").json()
    assert len(body) == 83
    frie = next(i for i in body if i["key"] == "free_income_per_capita")
    assert frie["source"] == {
        "evidence": "ssb",
        "publisher": "Statistisk sentralbyrå",
        "url": "https://www.ssb.no/statbank/table/12134",
        "table": "12134",
        "content_code": "KOSAG110000",
        "filters": {},
        "checked": "response",
        "series": [
            {"table": "12134", "content_code": "KOSAG110000", "filters": {}, "checked": "response"},
            {
                "table": "kostra-lorenskog",
                "content_code": "frie-inntekter-per-innbygger",
                "filters": {},
                "checked": None,
            },
        ],
        "formula": None,
    }
    assert (frie["polarity"], frie["polarity_reason"]) == ("context", {})
    result = next(i for i in body if i["key"] == "net_operating_result_pct")
    assert result["polarity_reason"]["nb"].endswith("anbefaler minst 1,75 prosent.")
    share = next(i for i in body if i["key"] == "population_share_80plus")
    assert share["source"]["formula"] == "(omsorgspanel/folk_80p/) / (omsorgspanel/folk_ialt/) × 100"
    assert frie["definition"]["nn"].startswith("Skatt på inntekt og formue pluss rammetilskot")
    assert [i["key"] for i in client.get("/api/v1/indicators", {"domain": "reindeer_husbandry"}).json()] == [
        "reindeer_spring_herd",
        "reindeer_grazing_plan_consultations",
    ]


def test_api_gives_figures_comparisons_and_provenance(client, imported_12134):
    body = client.get("/api/v1/municipalities/0301/indicators", {"domain": "economy"}).json()
    assert (body["number"], body["kostra_group"], body["county"]) == ("0301", "EKG13", "03")
    [item] = body["indicators"]
    assert item["indicator"] == "free_income_per_capita"
    assert item["figures"] == [
        {
            "year": 2024,
            "period": "2024",
            "value": 81240.0,
            "status": None,
            "revision": "final",
            "table": "12134",
            "content_code": "KOSAG110000",
            "region": "0301",
            "code_history": "same",
            "updated": "2026-03-16T07:00:00Z",
            "fetched_at": "2026-04-25T12:00:00Z",
            "publisher": "Statistisk sentralbyrå",
            "computed_from": {},
        }
    ]
    assert item["kostra_group"] == [
        {"code": "EKG13", "year": 2024, "value": 81240.0, "method": "weighted_mean", "members": 1, "with_value": 1,
         "median": 81240.0, "q1": 81240.0, "q3": 81240.0}
    ]  # fmt: skip
    assert item["country"][0]["method"] == "insufficient"
    assert item["direction_of_travel"]["judgement"] == "unknown"
    assert not any(k in str(body) for k in ("rank", "position", "percentile"))


def test_api_unknown_municipality_is_404(client):
    assert client.get("/api/v1/municipalities/9999/indicators").status_code == 404
    assert client.get("/api/v1/municipalities/3029/indicators").status_code == 404


def test_evidence_items_carry_provenance_and_respect_the_data_date(imported_12134, oslo):
    from kommunedialog.statistics.evidence import domain_items

    [item] = domain_items(oslo, "economy", as_of=dt.date(2026, 4, 25))
    assert (item["indicator"], item["year"], item["value"]) == ("free_income_per_capita", 2024, 81240)
    assert item["source"]["table"] == "12134"
    assert item["source"]["revision"] == "final"
    assert domain_items(oslo, "economy", as_of=dt.date(2026, 4, 24)) == []
