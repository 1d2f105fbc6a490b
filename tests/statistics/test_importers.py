"""Every importer on its real file in ../shared/data, with spot values from the data README, and a
malformed copy that is refused with nothing written."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from kommunedialog.statistics import importers, services
from kommunedialog.statistics.cells import ImportRefused
from kommunedialog.statistics.models import Observation, StatisticsTable
from tests.statistics.conftest import data_path

pytestmark = pytest.mark.django_db

OMSORG = "omsorg/framskriving-paneldata-omsorg-357-kommuner-2007-2025-2024struktur.csv"
KOMMUNEPANEL = "panel/samarbeidsdesken-kommunepanel-2022-2024.xlsx"
BOSETTING = "indicators/imdi-bosetting-anmodning-vedtak-faktisk-alle-kommuner-1995-2022-latin1.csv"
TILSKUDD = "grants/samarbeidsdesken-imdi-tilskudd-per-kommune-2022-2024.xlsx"
UDIR = "indicators/udir-grunnskolepoeng-kommune-skole-2015-16-til-2020-21.xlsx"
HJERTEKAR = "indicators/fhi-kommunehelsa-hjertekar-dodelighet-0-74-1998-2012.csv"
BARNEVERN = "indicators/fhi-barnevernstiltak-0-17-telemark-2015-2024.csv"
LEDIGHET = "indicators/nav-arbeidsledighet-telemark-kommuner-fylker-landet-2011-01-2026-01.csv"
NEDSATT = "indicators/nav-nedsatt-arbeidsevne-telemark-kommuner-fylker-landet-2011-01-2025-11.csv"
KLIMAGASS = "indicators/mdir-klimagassutslipp-telemark-17-kommuner-2009-2024.csv"
DKI_2026 = "inntektssystem/kdd-gront-hefte-2026-dki-per-kommune.json"
KUHR = "indicators/helsedir-kuhr-takstbruk-2ad-1505-2023.json"
LORENSKOG = "kostra-compiled/kommunebarometer-Lorenskog_KOSTRA_2025_nokkeltall.xlsx"
V2_12209 = "ssb/v2-12209-jsonstat2-891-regioner-hjemmetj80-2019-2023.json"
V2_07459_HALDEN = "ssb/v2-07459-jsonstat2-3101-halden-kjonn-alder-2005-2026.json"


def store(relative: str) -> services.ImportResult:
    [batch] = importers.read(data_path(relative), root=data_path(""))
    return services.statistics_import(batches=[batch], origin=f"file:{relative}", refresh=False)


def value(table: str, content: str, region: str, period: str, *, municipality: str | None = None, filters: str = ""):  # type: ignore[no-untyped-def]
    rows = Observation.objects.filter(series=f"{table}/{content}/{filters}", region=region, period=period)
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    return rows.get().value


def refused(tmp_path: Path, relative: str, change) -> str:  # type: ignore[no-untyped-def]
    """Copy the real file under its own name, spoil it, and import it with the command: the message."""
    target = tmp_path / relative
    target.parent.mkdir(parents=True)
    shutil.copy(data_path(relative), target)
    change(target)
    with pytest.raises(ImportRefused) as raised:
        importers.read(target, root=tmp_path)
    err = io.StringIO()
    with pytest.raises(Exception, match="1 of 1 files could not be read or stored"):
        call_command("import_statistics", str(target), stdout=io.StringIO(), stderr=err)
    assert (Observation.objects.count(), StatisticsTable.objects.count()) == (0, 0)
    assert str(raised.value) in err.getvalue()
    return str(raised.value)


def replace_text(old: str, new: str, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    def change(path: Path) -> None:
        text = path.read_text(encoding=encoding)
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding=encoding)

    return change


def edit_workbook(edit):  # type: ignore[no-untyped-def]
    def change(path: Path) -> None:
        import openpyxl

        workbook = openpyxl.load_workbook(path)
        edit(workbook)
        workbook.save(path)

    return change


# ── The omsorg panel ──────────────────────────────────────────────────────────────────────────────
def test_omsorg_panel_spot_values_and_the_split_of_alesund():
    result = store(OMSORG)
    assert result.cells == 82393
    assert [value("omsorgspanel", c, "0301", "2024") for c in ("folk_ialt", "Y_1_a_ialt", "Y_2_ialt", "Y_3_a_ialt", "Y_5_ialt")] == [
        717710, 17875, 2222, 3975, 3132,
    ]  # fmt: skip
    assert value("omsorgspanel", "folk_ialt", "3101", "2024") == 31935
    # 1508 2020–2023 is old 1507 with Haram: stored under 1507 and split by the code history's weight.
    assert value("omsorgspanel", "folk_ialt", "1507", "2020", municipality="") == 66258
    halves = Observation.objects.filter(series="omsorgspanel/folk_ialt/", region="1507", period="2020").exclude(
        municipality=""
    )
    assert sorted(halves.values_list("municipality", "value", "stitch", "weight")) == [
        ("1508", 33129, "apportioned", 0.5),
        ("1580", 33129, "apportioned", 0.5),
    ]
    # Upstream sums of merged predecessors are kept, with what they summed.
    stavanger = Observation.objects.get(series="omsorgspanel/folk_ialt/", region="1103", period="2019")
    assert stavanger.inputs == {"method": "summed upstream", "from": ["1103", "1141", "1142"]}
    assert "Y_4_ialt: 504 figures averaged upstream over merged municipalities, left out" in result.report


def test_omsorg_panel_with_a_word_for_a_number_is_refused(tmp_path):
    message = refused(tmp_path, OMSORG, replace_text('"0301",2024,"0301",3.5,634872', '"0301",2024,"0301",3.5,mange'))
    assert message == (
        "framskriving-paneldata-omsorg-357-kommuner-2007-2025-2024struktur.csv line 6700, folk_0_66: "
        "'mange' is neither a number nor a status symbol"
    ) or message.endswith("folk_0_66: 'mange' is neither a number nor a status symbol")


# ── Samarbeidsdesken's kommunepanel ───────────────────────────────────────────────────────────────
def test_kommunepanel_spot_values():
    result = store(KOMMUNEPANEL)
    assert value("kommunepanel", "folkemengde", "0301", "2022") == 699827
    assert value("kommunepanel", "sentralitet", "1101", "2022") == 4
    assert value("kommunepanel", "lege_reservekapasitet", "0301", "2022") == 103
    assert value("kommunepanel", "lege_reservekapasitet", "1133", "2023") == 101
    # The 2024 rows repeat 2023's GP figures (their text says 2023): not stored as 2024's.
    assert not Observation.objects.filter(series="kommunepanel/lege_reservekapasitet/", period="2024").exists()
    assert value("kommunepanel", "vedtak_bosetting", "1127", "2024") == 110
    assert "1580 2022: population 0 (the municipality did not exist yet); row left out" in result.report


def test_kommunepanel_without_population_is_refused(tmp_path):
    def drop_population(workbook):  # type: ignore[no-untyped-def]
        workbook.active["M1"] = "befolkning"

    message = refused(tmp_path, KOMMUNEPANEL, edit_workbook(drop_population))
    assert message.startswith("samarbeidsdesken-kommunepanel-2022-2024.xlsx: the columns pop are missing")


# ── IMDi ──────────────────────────────────────────────────────────────────────────────────────────
def test_imdi_settlement_spot_values():
    store(BOSETTING)
    oslo = {
        (c, p): value("imdi-bosetting", c, "K0301", p)
        for c in ("anmodning", "vedtak", "faktisk")
        for p in ("2015", "2016")
    }
    assert oslo == {
        ("anmodning", "2015"): 720, ("anmodning", "2016"): 1000,
        ("vedtak", "2015"): 811, ("vedtak", "2016"): 1000,
        ("faktisk", "2015"): 684, ("faktisk", "2016"): 913,
    }  # fmt: skip
    raw = Observation.objects.filter(series="imdi-bosetting/faktisk/", period="2016").exclude(
        stitch__in=["combined", "apportioned"]
    )
    assert sum(o.value or 0 for o in raw) == 15221
    assert (
        Observation.objects.get(series="imdi-bosetting/faktisk/", region="K0301", period="2016").region_label == "Oslo"
    )


def test_imdi_settlement_with_a_bad_region_code_is_refused(tmp_path):
    message = refused(tmp_path, BOSETTING, replace_text("K0301;Oslo", "0301;Oslo", "iso-8859-1"))
    assert message.endswith("region '0301' is not K followed by four digits")


def test_imdi_grants_spot_values_and_haram_before_it_existed():
    store(TILSKUDD)
    assert value("imdi-tilskudd", "totalt", "1133", "2023") == 33737419
    anonymous = Observation.objects.get(
        series="imdi-tilskudd/integreringstilskudd-for-ar-1/", region="1133", period="2022"
    )
    assert (anonymous.value, anonymous.status) == (None, ":")
    # 1508 before 2024 is old 1507 (Haram had no row): split by weight.
    before = Observation.objects.filter(series="imdi-tilskudd/totalt/", region="1507", period="2023").exclude(
        municipality=""
    )
    assert sorted(before.values_list("municipality", "stitch")) == [("1508", "apportioned"), ("1580", "apportioned")]
    assert (
        not Observation.objects.filter(series="imdi-tilskudd/totalt/", period="2024")
        .exclude(status="")
        .filter(value__isnull=False)
        .exists()
    )


def test_imdi_grants_without_municipality_numbers_is_refused(tmp_path):
    def rename(workbook):  # type: ignore[no-untyped-def]
        workbook.active["F1"] = "Knr"

    assert "the columns Kommunenummer are missing" in refused(tmp_path, TILSKUDD, edit_workbook(rename))


# ── Udir ──────────────────────────────────────────────────────────────────────────────────────────
def test_udir_points_spot_values_codes_restored_and_schools_left_out():
    result = store(UDIR)
    national = [
        value("udir-grunnskolepoeng", "grunnskolepoeng", "EAK", p)
        for p in ("2015-16", "2016-17", "2017-18", "2018-19", "2019-20", "2020-21")
    ]
    assert national == [41.2, 41.4, 41.8, 42.0, 43.2, 43.3]
    assert value("udir-grunnskolepoeng", "grunnskolepoeng", "0301", "2020-21") == 44.9  # stored as 301
    assert (
        Observation.objects.get(series="udir-grunnskolepoeng/grunnskolepoeng/", region="0301", period="2020-21").year
        == 2021
    )
    municipal = Observation.objects.filter(table__table_id="udir-grunnskolepoeng", region_kind="municipality").exclude(
        stitch__in=["combined", "apportioned"]
    )
    assert municipal.values("region").distinct().count() == 722
    assert "2074 school rows left out (the kommunebilde reads municipalities)" in result.report


def test_udir_with_an_unknown_column_is_refused(tmp_path):
    def rename(workbook):  # type: ignore[no-untyped-def]
        workbook.worksheets[0]["J1"] = "2015-16.Grunnskolepoeng"

    assert "column '2015-16.Grunnskolepoeng' is not" in refused(tmp_path, UDIR, edit_workbook(rename))


# ── FHI ───────────────────────────────────────────────────────────────────────────────────────────
def test_fhi_mortality_by_name_only_spot_values():
    result = store(HJERTEKAR)
    assert result.report[0] == "428 municipality names matched to the municipalities of 2016"
    halden = Observation.objects.get(series="fhi-hjertekar/dodelighet/", region="0101", period="1998-2007")
    assert (halden.value, halden.year, halden.region_label, halden.municipality, halden.stitch) == (
        87.3, 2007, "Halden", "3101", "renumbered",
    )  # fmt: skip
    kvitsoy = Observation.objects.get(series="fhi-hjertekar/dodelighet/", region="1144", period="2003-2012")
    assert (kvitsoy.value, kvitsoy.status, kvitsoy.region_label) == (None, ":", "Kvitsøy")
    assert (
        Observation.objects.get(
            series="fhi-hjertekar/dodelighet/", region_label="Våler (Hedmark)", period="1998-2007"
        ).region
        == "0426"
    )


def test_fhi_mortality_with_an_unknown_name_is_refused(tmp_path):
    message = refused(tmp_path, HJERTEKAR, replace_text('"Hvaler",', '"Hvalør",'))
    assert (
        message
        == "fhi-kommunehelsa-hjertekar-dodelighet-0-74-1998-2012.csv: 1 names match no municipality valid on 01.01.2016: Hvalør"
    )


def test_fhi_child_welfare_share_back_in_percent_with_the_country_and_county_rows():
    store(BARNEVERN)
    assert [value("fhi-barnevern", "andel", "EAK", y) for y in ("2015", "2024")] == [4.3, 3.2]
    assert value("fhi-barnevern", "andel", "EKA40", "2024") == 4.0
    skien = Observation.objects.get(series="fhi-barnevern/andel/", region_label="Skien", period="2024")
    assert (skien.value, skien.municipality) == (3.8, "4003")
    assert Observation.objects.get(series="fhi-barnevern/andel/", region_label="Fyresdal", period="2024").value == 7.2


def test_fhi_child_welfare_for_another_age_is_refused(tmp_path):
    message = refused(
        tmp_path,
        BARNEVERN,
        replace_text("Hele landet,2015-01-01,Kjønn samlet,0-17", "Hele landet,2015-01-01,Kjønn samlet,0-5"),
    )
    assert message.endswith("expected Kjønn samlet and 0-17, found 'Kjønn samlet', '0-5'")


# ── NAV ───────────────────────────────────────────────────────────────────────────────────────────
def test_nav_unemployment_monthly_as_percent_and_the_annual_mean():
    store(LEDIGHET)
    skien = Observation.objects.get(series="nav-ledighet/helt_ledige_andel/", region_label="Skien", period="2025M11")
    assert (skien.value, skien.municipality) == (2.4, "4003")
    assert value("nav-ledighet", "helt_ledige_andel", "EKA40", "2025M11") == 2.3
    assert value("nav-ledighet", "helt_ledige_andel", "EAK", "2025M11") == 2.1
    assert value("nav-ledighet", "helt_ledige_andel", "EAK", "2020M04") == 9.5
    mean = Observation.objects.get(series="nav-ledighet/helt_ledige_andel_arssnitt/", region="EAK", period="2024")
    months = Observation.objects.filter(
        series="nav-ledighet/helt_ledige_andel/", region="EAK", period__startswith="2024M"
    )
    assert months.count() == 12
    assert mean.value == pytest.approx(sum(m.value for m in months) / 12)
    assert mean.inputs["method"] == "mean of the twelve monthly figures"
    assert not Observation.objects.filter(series="nav-ledighet/helt_ledige_andel_arssnitt/", period="2026").exists()


def test_nav_reduced_work_capacity_spot_values():
    store(NEDSATT)
    assert (
        Observation.objects.get(
            series="nav-nedsatt-arbeidsevne/andel_18_66/", region_label="Skien", period="2025M11"
        ).value
        == 7.4
    )
    assert value("nav-nedsatt-arbeidsevne", "andel_18_66", "EKA40", "2025M11") == 6.9
    assert value("nav-nedsatt-arbeidsevne", "andel_18_66", "EAK", "2025M11") == 6.88976427642862


def test_nav_with_another_layout_is_refused(tmp_path):
    message = refused(tmp_path, LEDIGHET, replace_text("Andel av arbeidsstyrken", "Andel"))
    assert message.startswith(
        "nav-arbeidsledighet-telemark-kommuner-fylker-landet-2011-01-2026-01.csv: the header must be"
    )


# ── Miljødirektoratet, KDD, Helsedirektoratet ─────────────────────────────────────────────────────
def test_emissions_are_summed_over_rows_per_municipality_and_year():
    store(KLIMAGASS)
    skien = {o.period: o for o in Observation.objects.filter(series="mdir-klimagass/utslipp/", region_label="Skien")}
    assert (round(skien["2009"].value), round(skien["2024"].value)) == (165082, 118119)
    assert (skien["2009"].municipality, skien["2009"].inputs["method"]) == ("4003", "sum of the file's rows")


def test_emissions_for_an_unknown_municipality_are_refused(tmp_path):
    message = refused(tmp_path, KLIMAGASS, replace_text("Porsgrunn,2009,", "Porsgrunnen,2009,"))
    assert message.endswith("1 names match no municipality valid on 01.06.2024: Porsgrunnen")


def test_cost_index_spot_values():
    store(DKI_2026)
    assert value("kdd-dki", "dki", "1133", "2026") == 1.1943
    assert value("kdd-dki", "dki", "0301", "2026") == 0.9304
    assert value("kdd-dki", "dki", "3222", "2026") == 0.9551  # Lørenskog's overall index in its sector object
    assert Observation.objects.filter(series="kdd-dki/dki/").count() == 355


def test_cost_index_with_a_word_is_refused(tmp_path):
    message = refused(tmp_path, DKI_2026, replace_text('"1133": 1.1943', '"1133": "høy"'))
    assert message == "kdd-gront-hefte-2026-dki-per-kommune.json, 1133: 'høy' is neither a number nor a status symbol"


def test_kuhr_tariff_use_per_practice_type_and_in_total():
    store(KUHR)
    per_type = dict(
        Observation.objects.filter(series__startswith="helsedir-kuhr/takst_2ad/praksis=").values_list(
            "filters", "value"
        )
    )
    assert per_type == {"praksis=FALE": 57602, "praksis=FALO": 5571, "praksis=FATU": 3999, "praksis=LEKO": 10}
    total = Observation.objects.get(series="helsedir-kuhr/takst_2ad/", region="1505", period="2023")
    assert (total.value, total.inputs["from"]) == (67182, ["FALE", "FALO", "FATU", "LEKO"])


def test_kuhr_with_a_miscounted_list_is_refused(tmp_path):
    message = refused(tmp_path, KUHR, replace_text('"antall": 4', '"antall": 5'))
    assert message == "helsedir-kuhr-takstbruk-2ad-1505-2023.json: 'antall' must equal the number of 'takstbruk' items"


# ── A third party's KOSTRA compilation ────────────────────────────────────────────────────────────
def test_kostra_workbook_spot_values_with_ssbs_own_aggregates():
    store(LORENSKOG)
    frie = "frie-inntekter-per-innbygger"
    # Oslo's 2024 figure is the one SSB's own 12134 answer gives (81 240).
    assert value("kostra-lorenskog", frie, "0301", "2024") == 81240
    assert value("kostra-lorenskog", "netto-driftsresultat-i-av-brutto-driftsinntekter", "EAK", "2024") == -0.4
    assert value("kostra-lorenskog", "andel-innb-80-som-bruker-hjemmetjenester", "EKG08", "2023") == 30.1
    lorenskog = {
        o.year: o for o in Observation.objects.filter(series=f"kostra-lorenskog/{frie}/", region_label="Lørenskog")
    }
    assert sorted(lorenskog) == [2024, 2025]
    assert (lorenskog[2024].municipality, lorenskog[2024].revision, lorenskog[2025].revision) == (
        "3222",
        "final",
        "preliminary",
    )


def test_kostra_workbook_without_its_metadata_sheet_is_refused(tmp_path):
    def drop(workbook):  # type: ignore[no-untyped-def]
        del workbook["Metadata og metode"]

    message = refused(tmp_path, LORENSKOG, edit_workbook(drop))
    assert message.endswith("no sheet 'Metadata og metode' saying which KOSTRA vintage this is")


# ── SSB answers not read before ───────────────────────────────────────────────────────────────────
def test_12209_for_every_region_code_spot_values():
    store(V2_12209)
    assert [value("12209", "KOShjtj80aarover0001", "0301", y) for y in ("2019", "2023")] == [27.4, 23.7]
    assert [value("12209", "KOShjtj80aarover0001", "EAK", y) for y in ("2019", "2023")] == [30, 26.9]
    assert [value("12209", "KOShjtj80aarover0001", "EKG01", y) for y in ("2019", "2023")] == [32, 29.6]
    halden = Observation.objects.get(series="12209/KOShjtj80aarover0001/", region="3001", period="2023")
    assert (halden.value, halden.municipality, halden.stitch) == (21.6, "3101", "renumbered")
    assert Observation.objects.filter(series="12209/KOShjtj80aarover0001/", status="..").count() == 10


def test_a_zero_for_years_before_the_code_existed_is_not_stored():
    result = store(V2_07459_HALDEN)
    assert (
        "3101: 19 periods before or after the code was in use (2005–2023) answered 0; not stored as figures"
        in result.report
    )
    years = sorted(set(Observation.objects.filter(table__table_id="07459").values_list("year", flat=True)))
    assert years == [2024, 2025, 2026]
    total = sum(o.value for o in Observation.objects.filter(table__table_id="07459", year=2024))
    assert total == 31935


def test_a_truncated_ssb_answer_is_refused(tmp_path):
    def truncate(path: Path) -> None:
        path.write_bytes(path.read_bytes()[:5000])

    assert "Not valid JSON" in refused(tmp_path, V2_12209, truncate)
