"""Code vintages stitched to today's municipalities through the register's code history: renumbered codes
carried over, merged municipalities combined where the figures add up, the one real split (1507 Ålesund
→ 1508 Ålesund + 1580 Haram) weighted, and names matched to the code they had in the file's vintage."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import importers, queries, services
from kommunedialog.statistics.importers.fhi import HJERTEKAR_VINTAGE
from kommunedialog.statistics.importers.names import NameMatcher
from kommunedialog.statistics.models import Observation
from kommunedialog.statistics.regions import Stitcher, names_valid_on
from tests.statistics.conftest import data_path
from tests.statistics.test_importers import HJERTEKAR, OMSORG, UDIR

pytestmark = pytest.mark.django_db


def store(relative: str, *, refresh: bool = False) -> services.ImportResult:
    [batch] = importers.read(data_path(relative), root=data_path(""))
    return services.statistics_import(batches=[batch], origin=relative, refresh=refresh)


def test_school_points_under_a_pre_2020_code_appear_under_todays_municipality():
    store(UDIR)
    # Halden: 0101 until 2019, 3001 in 2020–2023, 3101 since 2024. Udir reports the old years under both
    # the pre-2020 code and the 2020 code; both reach 3101, with the same figures.
    halden = Observation.objects.filter(series="udir-grunnskolepoeng/grunnskolepoeng/", municipality="3101")
    assert sorted((o.region, o.period, o.stitch, o.value) for o in halden if o.region == "0101") == [
        ("0101", "2015-16", "renumbered", 40.4),
        ("0101", "2016-17", "renumbered", 39.9),
        ("0101", "2017-18", "renumbered", 40.8),
        ("0101", "2018-19", "renumbered", 41.0),
    ]
    assert sorted({o.year for o in halden}) == [2016, 2017, 2018, 2019, 2020, 2021]
    # Drammen 3301 was 0602 Drammen + 0625 Nedre Eiker + 0711 Svelvik: their points, weighted by pupils.
    drammen = Observation.objects.get(
        series="udir-grunnskolepoeng/grunnskolepoeng/", municipality="3301", period="2015-16"
    )
    assert (drammen.region, drammen.stitch) == ("0602+0625+0711", "combined")
    assert drammen.inputs == {
        "method": "weighted by elever",
        "from": [
            {"region": "0602", "share": 1.0, "value": 41.8, "denominator": 744.0},
            {"region": "0625", "share": 1.0, "value": 40.6, "denominator": 306.0},
            {"region": "0711", "share": 1.0, "value": 40.5, "denominator": 75.0},
        ],
    }
    assert drammen.value == pytest.approx((41.8 * 744 + 40.6 * 306 + 40.5 * 75) / (744 + 306 + 75))
    pupils = Observation.objects.get(series="udir-grunnskolepoeng/elever/", municipality="3301", period="2015-16")
    assert (pupils.value, pupils.stitch) == (1125, "combined")


def test_a_merged_municipality_is_not_combined_when_a_predecessor_has_no_figure():
    store(UDIR)
    # Stavanger 1103 (2020) = 1103 + 1141 Finnøy + 1142 Rennesøy; the code was kept through the merger.
    stavanger = Observation.objects.filter(
        series="udir-grunnskolepoeng/grunnskolepoeng/", municipality="1103"
    ).order_by("year")
    first = stavanger.first()
    assert first is not None
    assert (first.region, first.stitch) == ("1103+1141+1142", "combined")
    assert Stitcher().expected("1103", 2019) == {"1103", "1141", "1142"}


def test_the_alesund_haram_split_is_weighted():
    store(OMSORG, refresh=True)
    stitcher = Stitcher()
    assert stitcher.shares("1507") == (("1508", 0.5), ("1580", 0.5))
    parts = Observation.objects.filter(series="omsorgspanel/Y_1_a_80p/", region="1507", period="2021").order_by(
        "municipality"
    )
    raw = parts.get(municipality="")
    assert (raw.stitch, raw.stitch_targets) == ("split", "1508,1580")
    halves = parts.exclude(municipality="")
    assert [(o.municipality, o.value, o.weight) for o in halves] == [
        ("1508", raw.value * 0.5, 0.5),
        ("1580", raw.value * 0.5, 0.5),
    ]
    # A share computed from two apportioned figures is the whole's share, and says it is an estimate.
    haram = queries.municipality_statistics(Municipality.objects.current().get(number="1580"), domain="health_care")
    item = next(i for d in haram.domains for i in d.indicators if i.indicator.key == "home_care_80plus_share")
    figure = next(f for f in item.figures if f.year == 2021)
    folk = Observation.objects.get(series="omsorgspanel/folk_80p/", region="1507", period="2022", municipality="")
    assert figure.value == pytest.approx(100 * raw.value / folk.value)
    assert (figure.stitch, figure.table) == ("apportioned", "calc")


def test_a_name_only_file_maps_every_municipality_name_of_its_vintage():
    rows = list(csv.reader(data_path(HJERTEKAR).open(encoding="utf-8")))[9:]
    names = [r[0] for r in rows if r and r[0]]
    matcher = NameMatcher(on=HJERTEKAR_VINTAGE)
    codes = {matcher.match(name) for name in names}
    valid = {number for number, *_ in names_valid_on(HJERTEKAR_VINTAGE)}
    assert (len(names), matcher.problems("fhi")) == (428, [])
    assert codes == valid  # every municipality of 2016, each name to a different code
    assert {name: matcher.matched[name] for name in (
        "Våler (Østfold)", "Våler (Hedmark)", "Herøy (Møre og Romsdal)", "Herøy (Nordland)", "Bø (Telemark)",
        "Bø (Nordland)", "Kárásjohka Karasjok", "Porsanger Porsángu Porsanki", "Stavanger", "Trondheim",
    )} == {
        "Våler (Østfold)": "0137", "Våler (Hedmark)": "0426", "Herøy (Møre og Romsdal)": "1515",
        "Herøy (Nordland)": "1818", "Bø (Telemark)": "0821", "Bø (Nordland)": "1867",
        "Kárásjohka Karasjok": "2021", "Porsanger Porsángu Porsanki": "2020", "Stavanger": "1103",
        "Trondheim": "1601",
    }  # fmt: skip


def test_a_name_of_another_vintage_is_not_guessed():
    matcher = NameMatcher(on=dt.date(2024, 6, 1))
    assert matcher.match("Nøtterøy") is None  # merged into Færder in 2018
    assert matcher.match("Våler") is None  # two municipalities, no county given
    assert matcher.problems("test") == [
        "test: 1 names match no municipality valid on 01.06.2024: Nøtterøy",
        "test: 1 names match more than one municipality valid on 01.06.2024: Våler",
    ]
