"""Property tests: whatever it is fed, the parser either returns a dataset or raises JsonStatError.

Over 1 000 documents per run: valid ones generated from scratch (which must parse and keep their
shape), the same documents mutated (a member removed, replaced by arbitrary JSON, a size changed),
and their serialised bytes truncated or corrupted.
"""

from __future__ import annotations

import math
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommunedialog.statistics.jsonstat import JsonStatError, parse
from tests.statistics.conftest import V1_12191, V2_12134, read

CODES = st.text(alphabet="0123456789ABCEKGOS-", min_size=1, max_size=6)
json_leaf = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=8)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(
        st.lists(
            st.sampled_from(["Region", "ContentsCode", "Tid", "Alder", "Kjonn"]), min_size=1, max_size=4, unique=True
        )
    )
    dimension: dict[str, Any] = {}
    sizes = []
    for dim_id in ids:
        codes = draw(st.lists(CODES, min_size=1, max_size=4, unique=True))
        sizes.append(len(codes))
        index: Any = codes if draw(st.booleans()) else {c: i for i, c in enumerate(codes)}
        category: dict[str, Any] = {"index": index, "label": {c: f"label {c}" for c in codes}}
        if dim_id == "ContentsCode":
            category["unit"] = {c: {"base": "kr", "decimals": draw(st.integers(0, 3))} for c in codes}
        dimension[dim_id] = {
            "label": dim_id.lower(),
            "category": category,
            "extension": {"elimination": draw(st.booleans())},
        }
    cells = math.prod(sizes)
    values = draw(
        st.lists(st.none() | st.integers(-(10**9), 10**9) | st.floats(-1e9, 1e9), min_size=cells, max_size=cells)
    )
    status = draw(
        st.dictionaries(st.integers(0, cells - 1).map(str), st.sampled_from([".", "..", ":"]), max_size=cells)
    )
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "12345: generated",
        "updated": "2026-03-16T07:00:00Z",
        "id": ids,
        "size": sizes,
        "dimension": dimension,
        "value": values,
    }
    if status:
        doc["status"] = status
    roles = {role: [d] for role, d in (("time", "Tid"), ("metric", "ContentsCode"), ("geo", "Region")) if d in ids}
    if roles:
        doc["role"] = roles
    return doc


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for i, child in enumerate(node[:6]):
            found.extend(_paths(child, (*prefix, i)))
    return found


def _set(doc: Any, path: tuple[Any, ...], value: Any, *, delete: bool = False) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


def _parse_or_refuse(data: Any) -> None:
    try:
        result = parse(data)
    except JsonStatError as exc:
        message = str(exc)
    else:
        assert result.values is not None
        assert len(result.values) == result.cells
        return
    assert message, "a refusal always says why"


@settings(max_examples=400, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_generated_datasets_parse_and_keep_their_shape(doc):
    ds = parse(orjson.dumps(doc))
    assert ds.ids == tuple(doc["id"])
    assert ds.size == tuple(doc["size"])
    assert len(ds.values) == ds.cells
    for flat, symbol in ds.status.items():
        assert ds.values[flat] is None, "a cell with a status symbol has no number"
        assert symbol in (".", "..", ":")
    codes = list(ds.iter_cells())
    assert len(codes) == ds.cells


@settings(max_examples=500, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.data())
def test_mutated_datasets_never_raise_anything_else(doc, data):
    paths = _paths(doc)
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["delete", "replace", "resize"]))
    if action == "delete" and path:
        mutated = _set(doc, path, None, delete=True)
    elif action == "resize":
        mutated = _set(doc, ("size",), data.draw(st.lists(st.integers(-2, 6), max_size=5)))
    else:
        mutated = _set(doc, path, data.draw(json_value))
    _parse_or_refuse(mutated)
    _parse_or_refuse(orjson.dumps(mutated))


@settings(max_examples=300, database=None, deadline=None)
@given(st.sampled_from([V2_12134, V1_12191]), st.integers(0, 10_000), st.binary(min_size=1, max_size=3))
def test_truncated_and_corrupted_real_files_never_raise_anything_else(relative, cut, garbage):
    data = read(relative)
    _parse_or_refuse(data[: cut % len(data)])
    at = cut % len(data)
    _parse_or_refuse(data[:at] + garbage + data[at + len(garbage) :])


@settings(max_examples=200, database=None, deadline=None)
@given(json_value)
def test_arbitrary_json_never_raises_anything_else(value):
    _parse_or_refuse(orjson.dumps(value))
    _parse_or_refuse(value if isinstance(value, dict) else {"class": "dataset", "id": value})
