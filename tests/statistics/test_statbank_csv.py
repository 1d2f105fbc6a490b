from __future__ import annotations

import pytest

from kommunedialog.statistics.jsonstat import JsonStatError, summarise
from kommunedialog.statistics.statbank_csv import parse_csv
from tests.statistics.conftest import CSV_07459, read


def test_the_real_latin1_crlf_export_is_read():
    ds = parse_csv(read(CSV_07459))
    assert summarise(ds).as_dict("x.csv") == {
        "file": "x.csv",
        "table": "07459",
        "dimensions": {"region": 359, "age": 106, "contents": 1, "year": 1},
        "cells": 38054,
        "status": {},
    }
    assert ds.label == "07459: Population"
    assert [d.role for d in ds.dimensions] == ["geo", None, "metric", "time"]
    region = ds.dimension("region")
    assert (region.codes[0], region.labels[0], region.codes[-1]) == ("K-3001", "Halden", "K-Rest")
    assert region.label_of("K-5442") == "Unjárga - Nesseby"  # ISO-8859-1 decoded
    assert ds.cell(region="K-3001", age="0 years", contents="Persons", year="2023") == (236, None)
    assert sum(v for v in ds.values if v) == 5_488_984


def test_status_symbols_in_a_csv_are_kept_as_status():
    data = (
        '"12345: Something, by region, contents and year"\r\n\r\n'
        '"region";"Share 2023";"Share 2024"\r\n'
        '"0301 Oslo";1.5;".."\r\n'
        '"EKG13 KOSTRA-gruppe 13";":";2\r\n'
    ).encode("iso-8859-1")
    ds = parse_csv(data)
    assert ds.values == [1.5, None, None, 2]
    assert ds.status == {1: "..", 2: ":"}
    assert ds.dimension("region").codes == ("0301", "EKG13")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"region;age\r\n", "Not a Statistikkbanken CSV export"),
        (
            b'"07459: Population, by region and year"\r\n\r\n"region";"2023"\r\n"K-3001 Halden";abc\r\n',
            "is neither a number",
        ),
        (
            b'"07459: Population, by region and year"\r\n\r\n"region";"2023"\r\n"K-3001 Halden";1;2\r\n',
            "3 fields where the header has 2",
        ),
    ],
)
def test_broken_exports_raise_the_project_exception(data, message):
    with pytest.raises(JsonStatError, match=message):
        parse_csv(data)
