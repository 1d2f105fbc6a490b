"""The catalogue's SSB codes against every recorded SSB answer and metadata file in ../shared/data.

A source marked ``response`` or ``metadata`` must name a recorded file that holds its content code and
filter values. A source marked ``unverified`` must not be contradicted by a recorded file: a metadata
file lists all of a table's codes, so a code missing there does not exist; and when any recorded file
shows the code, the catalogue must say it is verified (so the flag on the catalogue page stays true).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from kommunedialog.statistics import catalogue, jsonstat
from kommunedialog.statistics.catalogue import Checked, Source
from tests.statistics.conftest import data_path


@dataclass(frozen=True)
class Recorded:
    path: str
    table: str
    complete: bool  # a metadata answer: every code of the table
    codes: dict[str, frozenset[str]]  # variable -> codes


def _v1_metadata(path: Path) -> Recorded | None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list):
        return None
    table = path.name.split("-")[1]
    codes = {v["code"]: frozenset(v["values"]) for v in doc["variables"]}
    return Recorded(path.relative_to(data_path("")).as_posix(), table, True, codes)


def recorded() -> list[Recorded]:
    found = []
    root = data_path("")
    for path in sorted([*root.glob("ssb/**/*.json"), *root.glob("indicators/ssb-*.json")]):
        if "/metadata/" in path.as_posix() and "-metadata" in path.name:
            item = _v1_metadata(path)
            if item is not None:
                found.append(item)
            continue
        try:
            dataset = jsonstat.parse(path.read_bytes(), require_values=False)
        except jsonstat.JsonStatError:
            continue  # query bodies, probes, table lists
        if dataset.table_id is None:
            continue
        found.append(
            Recorded(
                path.relative_to(root).as_posix(),
                dataset.table_id,
                dataset.values is None,
                {d.id: frozenset(d.codes) for d in dataset.dimensions},
            )
        )
    return found


RECORDED = recorded()


def _shows(record: Recorded, source: Source) -> bool:
    if source.content not in record.codes.get("ContentsCode", frozenset()):
        return False
    return all(code in record.codes.get(variable, frozenset()) for variable, code in source.filters.items())


def ssb_sources() -> list[tuple[str, Source]]:
    found: dict[str, tuple[str, Source]] = {}
    for indicator in catalogue.with_figures():
        for source in indicator.every_source():
            if source.is_ssb:
                found.setdefault(source.series, (indicator.key, source))
    return sorted(found.values(), key=lambda item: item[1].series)


def test_the_recorded_files_are_the_ones_the_data_readme_lists():
    assert sorted({(r.table, r.complete) for r in RECORDED}) == [
        ("07459", False),
        ("11118", False),
        ("11118", True),
        ("12003", True),
        ("12063", False),
        ("12134", False),
        ("12191", False),
        ("12209", False),
        ("12367", False),
        ("13599", False),
        ("13599", True),
        ("14746", True),
    ]


@pytest.mark.parametrize(("key", "source"), ssb_sources(), ids=lambda v: v if isinstance(v, str) else v.series)
def test_every_ssb_code_agrees_with_the_recorded_answers(key: str, source: Source):
    files = [r for r in RECORDED if r.table == source.table]
    showing = [r.path for r in files if _shows(r, source)]
    if source.checked in (Checked.RESPONSE, Checked.METADATA):
        named = next((r for r in files if r.path == source.checked_in), None)
        assert named is not None, f"{key}: {source.checked_in} is not a recorded answer for table {source.table}"
        assert named.complete is (source.checked is Checked.METADATA), (
            f"{key}: {source.checked_in} is not a {source.checked}"
        )
        assert source.checked_in in showing, f"{key}: {source.checked_in} does not hold {source.series}"
    else:
        assert not showing, f"{key}: {source.series} appears in {showing}; mark it verified"
    for record in files:
        for variable in source.filters:
            assert variable in record.codes, f"{key}: table {source.table} has no variable {variable} ({record.path})"
        if record.complete:
            assert _shows(record, source), (
                f"{key}: {source.series} is not a code of table {source.table} ({record.path})"
            )


def test_a_wrong_code_for_a_recorded_table_fails_the_check():
    wrong = Source("12209", "KOShjtj80aarover0002", checked=Checked.RESPONSE, checked_in=RECORDED[0].path)
    assert not any(_shows(r, wrong) for r in RECORDED if r.table == "12209")
    complete = next(r for r in RECORDED if r.table == "12003" and r.complete)
    assert not _shows(complete, Source("12003", "KOSPr1000innbyge0000", {"KOKalder0000": "F080-999"}))
    assert _shows(
        complete, Source("12003", "KOSPr1000innbyge0000", {"KOKalder0000": "F000-066", "KOKTenesteGrp0000": "A"})
    )


def test_unverified_codes_are_few_and_named():
    unverified = sorted({s.series for _, s in ssb_sources() if s.checked is Checked.UNVERIFIED})
    verified = sorted({s.series for _, s in ssb_sources() if s.verified})
    assert len(verified) == 12
    assert len(unverified) == 38
