from __future__ import annotations

from collections import Counter

import pytest

from kommunedialog.core.domains import Domain
from kommunedialog.statistics import catalogue
from kommunedialog.statistics.catalogue import CatalogueError, Evidence, parse_catalogue


def test_the_catalogue_is_valid_and_covers_every_domain():
    indicators = catalogue.indicators()
    assert len(indicators) == 53
    assert len(catalogue.ssb_indicators()) == 44
    assert set(Counter(i.domain for i in indicators)) == set(Domain)
    for indicator in indicators:
        assert indicator.definition["nb"], indicator.key
        assert indicator.definition["nn"], indicator.key
        assert indicator.definition["nb"] != indicator.definition["nn"] or indicator.key in (
            "children_investigated_share",
            "youth_health_clinic",
        ), f"{indicator.key}: the nynorsk text should be nynorsk"
        assert indicator.source_url.startswith("https://")


def test_domains_ssb_does_not_cover_are_marked_as_other_sources():
    reindeer = catalogue.for_domain(Domain.REINDEER_HUSBANDRY)
    assert {i.evidence for i in reindeer} == {Evidence.OTHER}
    assert all(i.publisher and not i.table for i in reindeer)
    civil = {i.key: i.evidence for i in catalogue.for_domain(Domain.CIVIL_PROTECTION)}
    assert civil["risk_assessment_age"] is Evidence.OTHER
    assert civil["fire_preparedness_net_expenditure"] is Evidence.SSB


def test_ssb_indicators_name_table_content_and_filters():
    by_key = catalogue.by_key()
    frie = by_key["free_income_per_capita"]
    assert (frie.table, frie.content, frie.series, frie.decimals) == ("12134", "KOSAG110000", "12134/KOSAG110000/", 0)
    debt = by_key["net_debt_per_capita"]
    assert debt.series == "12137/KOSbelopprinnb0000/KOKartkap0000=KG31"
    fire = by_key["fire_prevention_net_expenditure"]
    assert fire.series == "12367/KOSbelop0000/KOKart0000=AGD2&KOKfunksjon0000=338&KOKregnskapsomfa0000=A"
    assert sorted(catalogue.tables()) == [
        "07459", "11875", "12005", "12134", "12137", "12191", "12255", "12275",
        "12279", "12286", "12292", "12293", "12305", "12367", "13502", "13526",
    ]  # fmt: skip


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
version: 1
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
"""
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue(text)
    assert raised.value.problems == [
        "indicator key 'Bad Key' must be lower_snake_case",
        "indicator Bad Key: domain: 'weather' is not one of health_care, child_welfare, social_housing, education, "
        "economy, agriculture, environment_climate, planning, social_services, reindeer_husbandry, civil_protection",
        "indicator Bad Key: decimals must be a whole number from 0 to 6",
        "indicator Bad Key: source_url must be an https link",
        "indicator Bad Key: an SSB indicator needs the 5-digit table number as a string",
        "indicator Bad Key: checked must say where the codes were seen (response, usage, standard)",
        "indicator Bad Key: name: the en text is missing",
        "indicator Bad Key: definition: the nn text is missing",
        "indicator Bad Key: polarity: 'up' is not one of higher_better, lower_better, neutral",
        "indicator from_elsewhere: an indicator from another source has no SSB table, content or filters",
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
    polarity: neutral
    aggregation: weighted_mean
    checked: response
    name: {{nb: a, nn: b, en: c}}
    definition: {{nb: a, nn: b}}
    source_url: https://www.ssb.no/statbank/table/12134
"""
    text = "version: 1\nindicators:" + entry.format(key="first_one") + entry.format(key="second_one")
    with pytest.raises(CatalogueError, match="second_one: another indicator points at the same series"):
        parse_catalogue(text)
