from __future__ import annotations

import datetime as dt

import orjson
import pytest

from kommunedialog.statistics import jsonstat
from kommunedialog.statistics.jsonstat import JsonStatError, parse, summarise
from tests.statistics.conftest import V1_07459, V1_12191, V1_12367, V2_11118, V2_11118_META, V2_12063, V2_12134, read


def doc(**changes):  # type: ignore[no-untyped-def]
    """A small valid dataset (2 regions × 1 content × 2 years) with some members replaced."""
    base = {
        "version": "2.0",
        "class": "dataset",
        "label": "12134: Utvalgte nøkkeltall",
        "source": "Statistisk sentralbyrå",
        "updated": "2026-03-16T07:00:00Z",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [2, 1, 2],
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": {
            "Region": {"label": "region", "category": {"index": {"0301": 0, "4601": 1}}},
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {
                    "index": ["KOSAG110000"],
                    "label": {"KOSAG110000": "Frie inntekter"},
                    "unit": {"KOSAG110000": {"base": "kr", "decimals": 0}},
                },
            },
            "Tid": {"label": "år", "category": {"index": {"2023": 0, "2024": 1}}},
        },
        "value": [1, 2, 3, 4],
    }
    base.update(changes)
    return base


def test_v2_12134_answer_is_read_with_units_roles_and_mandatory_notes():
    ds = parse(read(V2_12134))
    assert (ds.table_id, ds.ids, ds.size, ds.cells) == (
        "12134",
        ("KOKkommuneregion0000", "ContentsCode", "Tid"),
        (3, 1, 1),
        3,
    )
    assert ds.updated == dt.datetime(2026, 3, 16, 7, tzinfo=dt.UTC)
    assert ds.cell(KOKkommuneregion0000="0301", ContentsCode="KOSAG110000", Tid="2024") == (81240, None)
    assert [d.role for d in ds.dimensions] == ["geo", "metric", "time"]
    assert ds.dimension("ContentsCode").units["KOSAG110000"] == jsonstat.Unit(base="kr", decimals=0)
    assert ds.dimension("KOKkommuneregion0000").label_of("5001") == "Trondheim - Tråante"
    assert ds.dimension("KOKkommuneregion0000").elimination is False
    assert len(ds.notes) == 5
    assert [n[:30] for n in ds.mandatory_notes] == ["Det er brudd i tidsserien for ", "Tall for landet uten Oslo publ"]
    assert ds.extension["px"]["aggregallowed"] is False


def test_status_symbols_are_kept_and_their_values_are_none_never_zero():
    ds = parse(read(V1_12191))
    assert ds.status_counts() == {".": 90, "..": 1, ":": 1}
    cells = list(ds.iter_cells())
    assert cells[:3] == [
        (("KOSavtalehjemler0001", "3002", "2018"), None, "."),
        (("KOSavtalehjemler0001", "3002", "2019"), None, "."),
        (("KOSavtalehjemler0001", "3002", "2020"), 20, None),
    ]
    assert all(value is None for _, value, status in cells if status)
    assert sum(1 for _, value, _ in cells if value is None) == 92


def test_a_number_under_a_missing_symbol_is_dropped():
    ds = parse(doc(value=[0, 2, 3, 4], status={"0": ":"}))
    assert (ds.values, ds.status) == ([None, 2, 3, 4], {0: ":"})


@pytest.mark.parametrize(
    ("relative", "size", "status"),
    [
        (V2_12063, (360, 1, 13), {"..": 994}),
        (V1_07459, (359, 1, 1), {}),
        (V1_12367, (5, 2, 5, 5, 1, 5), {".": 400, ":": 85}),
        (V2_11118, (14, 1, 2), {}),
    ],
)
def test_real_answers(relative, size, status):
    ds = parse(read(relative))
    assert (ds.size, ds.status_counts()) == (size, status)


def test_v1_answer_without_geo_role_gets_it_from_ssb_naming():
    ds = parse(read(V1_12367))
    assert [d.role for d in ds.dimensions] == ["geo", None, None, None, "metric", "time"]


def test_metadata_answer_is_accepted_only_when_asked():
    with pytest.raises(JsonStatError, match=r"^'value' is missing \(a metadata document is not data\)$"):
        parse(read(V2_11118_META))
    meta = parse(read(V2_11118_META), require_values=False)
    assert (meta.values, meta.size, meta.dimension("Tid").codes[-1]) == (None, (14, 2, 9), "2023")
    assert meta.dimension("Tid").elimination is False


def test_index_as_array_sparse_values_and_status_array():
    ds = parse(
        doc(
            dimension={
                **doc()["dimension"],
                "Region": {"category": {"index": ["0301", "4601"], "label": {"0301": "Oslo"}}},
            },
            value={"0": 10, "3": 40},
            status=[None, "..", "..", None],
        )
    )
    assert ds.values == [10, None, None, 40]
    assert ds.dimension("Region").labels == ("Oslo", "4601")
    assert ds.status == {1: "..", 2: ".."}


def test_single_category_dimension_may_leave_out_its_index():
    d = doc()
    d["dimension"]["ContentsCode"]["category"].pop("index")
    assert parse(d).dimension("ContentsCode").codes == ("KOSAG110000",)


def test_summary_is_what_dry_run_prints():
    assert summarise(parse(read(V2_12134))).as_dict("f.json") == {
        "file": "f.json",
        "table": "12134",
        "dimensions": {"KOKkommuneregion0000": 3, "ContentsCode": 1, "Tid": 1},
        "cells": 3,
        "status": {},
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size": [2, 1, 3]}, "dimension 'Tid': 'size' says 3 categories but 'category.index' has 2"),
        ({"value": [1, 2, 3]}, "'value' has 3 numbers but the sizes multiply to 4 cells"),
        (
            {"id": ["Region", "ContentsCode", "Tid", "Alder"], "size": [2, 1, 2, 1]},
            "dimension 'Alder' is in 'id' but missing from 'dimension'",
        ),
        ({"size": [2, 1]}, "'id' has 3 dimensions but 'size' has 2"),
        ({"value": [1, "2", 3, 4]}, "'value' must hold numbers or null, found str '2'"),
        ({"value": [1, True, 3, 4]}, "'value' must hold numbers or null, found bool 'True'"),
        ({"size": "2,1,2"}, "'size' must be an array of whole numbers"),
        ({"id": "Region"}, "'id' must be a non-empty array of dimension ids"),
        ({"class": "collection"}, "'class' must be \"dataset\", not 'collection'"),
        ({"version": "1.0"}, "Only JSON-stat version 2.0 is read, not '1.0'"),
        ({"status": {"7": ".."}}, "'status' names cell 7, outside 0…3"),
        ({"updated": "yesterday"}, "'updated' is not an ISO 8601 time: 'yesterday'"),
        ({"role": {"geo": ["Kommune"]}}, "role 'geo' names dimension 'Kommune', which is not in 'id'"),
        ({"dimension": []}, "'dimension' is missing or not an object"),
    ],
)
def test_malformed_documents_say_what_is_wrong(changes, message):
    with pytest.raises(JsonStatError) as raised:
        parse(doc(**changes))
    assert str(raised.value) == message


def test_index_positions_must_be_a_permutation():
    d = doc()
    d["dimension"]["Tid"]["category"]["index"] = {"2023": 0, "2024": 0}
    with pytest.raises(JsonStatError, match=r"^dimension 'Tid': 'category.index' positions are not 0…1 each once$"):
        parse(d)


def test_units_must_have_whole_decimals():
    d = doc()
    d["dimension"]["ContentsCode"]["category"]["unit"]["KOSAG110000"]["decimals"] = 1.5
    with pytest.raises(JsonStatError, match="'decimals' must be a whole number from 0 to 15"):
        parse(d)


def test_a_truncated_file_is_reported_as_such():
    data = read(V2_12134)
    with pytest.raises(JsonStatError, match=r"^Not valid JSON \(.*\); is the file truncated\?$"):
        parse(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("ssb/v1-07459-query-KommSummer-2022.json", "this is a PxWebApi query body"),
        ("ssb/v2-doc-examples/v2-config-response.json", "this is PxWebApi's /config answer"),
        ("ssb/v2-doc-examples/v2-table-03013-info-response.json", "this is a PxWebApi table description"),
        (
            "ssb/v2-doc-examples/v2-tables-search-befolkning-page2-response.json",
            "this is a PxWebApi table search answer",
        ),
    ],
)
def test_other_ssb_documents_are_named_in_the_error(relative, message):
    with pytest.raises(JsonStatError, match=f"^Not a JSON-stat dataset: {message}"):
        parse(read(relative))


def test_json_stat_1_is_refused_clearly():
    with pytest.raises(JsonStatError, match=r"JSON-stat 1\.x"):
        parse(orjson.dumps({"dataset": doc()}))


@pytest.mark.parametrize("label", [7, None, ["Frie inntekter"]])
def test_category_labels_must_be_strings(label):
    d = doc()
    d["dimension"]["ContentsCode"]["category"]["label"]["KOSAG110000"] = label
    with pytest.raises(JsonStatError, match=r"^dimension 'ContentsCode': category labels must be strings$"):
        parse(d)
