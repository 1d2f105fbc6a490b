from __future__ import annotations

from collections import Counter

import pytest

from kommunedialog.core.domains import Domain
from kommunedialog.statistics import catalogue, importers
from kommunedialog.statistics.catalogue import Aggregation, CatalogueError, Evidence, Polarity, parse_catalogue


def test_the_catalogue_is_valid_and_covers_every_domain():
    indicators = catalogue.indicators()
    assert len(indicators) == 83
    assert Counter(i.evidence.value for i in indicators) == {"ssb": 36, "computed": 28, "file": 11, "other": 8}
    assert set(Counter(i.domain for i in indicators)) == set(Domain)
    for indicator in indicators:
        assert indicator.definition["nb"], indicator.key
        assert indicator.definition["nn"], indicator.key
        assert indicator.definition["nb"] != indicator.definition["nn"] or indicator.key in (
            "children_investigated_share",
            "youth_health_clinic",
        ), f"{indicator.key}: the nynorsk text should be nynorsk"
        assert indicator.source_url.startswith("https://")


def test_a_judged_indicator_says_why_and_a_descriptive_one_does_not_judge():
    for indicator in catalogue.indicators():
        if indicator.polarity.judged:
            assert indicator.polarity_reason["nb"], indicator.key
            assert indicator.polarity_reason["nn"], indicator.key
        else:
            assert indicator.polarity_reason == {}, indicator.key
    by_key = catalogue.by_key()
    assert by_key["population"].polarity is Polarity.CONTEXT
    assert by_key["expenditure_need_index"].polarity is Polarity.CONTEXT
    assert by_key["projected_population"].polarity is Polarity.CONTEXT
    assert by_key["net_operating_result_pct"].polarity is Polarity.HIGHER_BETTER
    assert "1,75" in by_key["net_operating_result_pct"].polarity_reason["nb"]


def test_expenditure_is_per_inhabitant_not_a_total():
    """Totals in 1 000 kr cannot be compared across municipalities of different size: every accounts
    figure the catalogue shows is divided by the population (31 December, as KOSTRA does)."""
    for indicator in catalogue.indicators():
        assert indicator.unit != "1000 kr", indicator.key
    social = catalogue.by_key()["social_assistance_net_expenditure_per_capita"]
    assert (social.evidence, social.aggregation, social.scale, social.denominator_lag) == (
        Evidence.COMPUTED,
        Aggregation.RATIO,
        1000.0,
        1,
    )
    assert [s.series for s in catalogue.term_sources(social.numerator[0])] == [
        "12367/KOSbelop0000/KOKart0000=AGD2&KOKfunksjon0000=281&KOKregnskapsomfa0000=A",
        "kostra-lorenskog/netto-driftsutgifter-ytelse-til-livsopphold-f-281/",
    ]
    assert [s.series for s in catalogue.term_sources(social.denominator[0])] == [
        "07459/Personer1/",
        "omsorgspanel/folk_ialt/",
        "kommunepanel/folkemengde/",
    ]


def test_domains_ssb_does_not_cover_are_marked_as_other_sources():
    reindeer = catalogue.for_domain(Domain.REINDEER_HUSBANDRY)
    assert {i.evidence for i in reindeer} == {Evidence.OTHER}
    assert all(i.publisher and not i.table for i in reindeer)
    civil = {i.key: i.evidence for i in catalogue.for_domain(Domain.CIVIL_PROTECTION)}
    assert civil["risk_assessment_age"] is Evidence.OTHER
    assert civil["fire_preparedness_net_expenditure_per_capita"] is Evidence.COMPUTED


def test_ssb_indicators_name_table_content_and_filters():
    by_key = catalogue.by_key()
    frie = by_key["free_income_per_capita"]
    assert (frie.table, frie.content, frie.series, frie.decimals) == ("12134", "KOSAG110000", "12134/KOSAG110000/", 0)
    assert frie.all_series == ("12134/KOSAG110000/", "kostra-lorenskog/frie-inntekter-per-innbygger/")
    debt = by_key["net_debt_per_capita"]
    assert debt.series == "12137/KOSbelopprinnb0000/KOKartkap0000=KG31"
    home = by_key["home_care_80plus_share"]
    assert home.all_series == (
        "12209/KOShjtj80aarover0001/",
        "kostra-lorenskog/andel-innb-80-som-bruker-hjemmetjenester/",
        "calc/home_care_80plus_share/",
    )
    assert sorted(catalogue.tables()) == [
        "07459", "12003", "12005", "12063", "12134", "12137", "12191", "12209", "12255", "12275",
        "12279", "12286", "12292", "12293", "12305", "12367", "13502", "13526", "14746",
    ]  # fmt: skip


def test_every_file_source_has_an_importer():
    known = importers.datasets()
    for indicator in catalogue.with_figures():
        for source in indicator.every_source():
            assert source.is_ssb or source.table in known, (indicator.key, source.table)


def test_texts_follow_the_reader_language():
    frie = catalogue.by_key()["free_income_per_capita"]
    assert (frie.localised(frie.name, "nb"), frie.localised(frie.name, "nn"), frie.localised(frie.name, "en")) == (
        "Frie inntekter per innbygger",
        "Frie inntekter per innbyggjar",
        "Free income per inhabitant",
    )
    assert frie.localised(frie.definition, "en").startswith("Skatt på inntekt")  # no English definition: bokmål


def test_problems_are_collected_and_reported_together():
    text = """
version: 2
indicators:
  - key: Bad Key
    domain: weather
    evidence: ssb
    table: 12134
    content: KOSAG110000
    unit: kr
    decimals: 9
    polarity: up
    aggregation: weighted_mean
    name: {nb: a, nn: b}
    definition: {nb: a}
    source_url: http://ssb.no
  - key: from_elsewhere
    domain: reindeer_husbandry
    evidence: other
    table: "12134"
    unit: rein
    decimals: 0
    polarity: neutral
    aggregation: sum
    name: {nb: a, nn: b, en: c}
    definition: {nb: a, nn: b}
    source_url: https://example.org
  - key: judged_silently
    domain: economy
    evidence: computed
    publisher: Kommunedialog
    numerator: [{indicator: nothing_here}]
    denominator: [[{table: "12134", content: KOSAG110000, checked: response}]]
    unit: kr
    decimals: 0
    polarity: lower_better
    aggregation: ratio
    name: {nb: a, nn: b, en: c}
    definition: {nb: a, nn: b}
    source_url: https://example.org
"""
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue(text)
    assert raised.value.problems == [
        "indicator key 'Bad Key' must be lower_snake_case",
        "indicator Bad Key: domain: 'weather' is not one of health_care, child_welfare, social_housing, education, "
        "economy, agriculture, environment_climate, planning, social_services, reindeer_husbandry, civil_protection",
        "indicator Bad Key: decimals must be a whole number from 0 to 6",
        "indicator Bad Key: source_url must be an https link",
        "indicator Bad Key: polarity: 'up' is not one of higher_better, lower_better, neutral, context",
        "indicator Bad Key: table must be a 5-digit SSB table number as a string, or a dataset id",
        "indicator Bad Key: checked: None is not one of response, metadata, unverified",
        "indicator Bad Key: name: the en text is missing",
        "indicator Bad Key: definition: the nn text is missing",
        "indicator from_elsewhere: only an SSB indicator names table, content and filters at the top",
        "indicator from_elsewhere: an indicator not read from SSB alone must name its publisher",
        "indicator judged_silently: polarity_reason: must give the text per language (nb, nn)",
        "indicator judged_silently: denominator term 1: checked_in must name the recorded file the codes were seen in",
        "indicator judged_silently: term names 'nothing_here', which is not an indicator with sources",
    ]


def test_two_indicators_may_not_point_at_the_same_series():
    entry = """
  - key: {key}
    domain: economy
    evidence: ssb
    table: "12134"
    content: KOSAG110000
    unit: kr
    decimals: 0
    polarity: context
    aggregation: weighted_mean
    checked: unverified
    name: {{nb: a, nn: b, en: c}}
    definition: {{nb: a, nn: b}}
    source_url: https://www.ssb.no/statbank/table/12134
"""
    text = "version: 2\nindicators:" + entry.format(key="first_one") + entry.format(key="second_one")
    with pytest.raises(CatalogueError, match="second_one: another indicator points at the same series"):
        parse_catalogue(text)
