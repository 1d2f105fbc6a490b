"""ROBEK: the real register file, imported in place, idempotently, with removals dated by publication."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.oversight.models import RobekEntry
from kommunedialog.oversight.robek import default_register_file, parse_grounds, read_register, robek_import
from kommunedialog.oversight.tabular import ImportRejected, RowError
from tests.conftest import shared_data
from tests.oversight.conftest import counts

pytestmark = pytest.mark.django_db
REGISTER = "robek/robek-2026-04-20.json"


def write_register(tmp_path: Path, published: str, rows: list[dict[str, str]]) -> Path:
    data = json.loads((shared_data() / REGISTER).read_text(encoding="utf-8"))
    data.update({"publisert": published, "kommuner": rows})
    path = tmp_path / f"robek-{published}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "grounds"),
    [
        ("c og d", ("c", "d")),
        ("a, b, c og d", ("a", "b", "c", "d")),
        ("d", ("d",)),
        ("f", ("f",)),
        ("h", None),
        ("", None),
    ],
)
def test_grounds_are_the_letters_of_section_28_1(text, grounds):
    assert parse_grounds(text) == grounds


def test_the_default_file_is_read_from_the_shared_data_folder():
    assert default_register_file() == shared_data() / REGISTER


def test_the_real_register_imports_every_municipality_once_and_again_writes_nothing():
    register = read_register(shared_data() / REGISTER)
    assert (register.published_on, len(register.listings)) == (dt.date(2026, 4, 20), 27)
    result = robek_import(actor=SYSTEM, register=register)
    assert dict(result.counts) == {"created": 27}
    assert RobekEntry.objects.filter(removed_on=None).count() == 27
    flesberg = RobekEntry.objects.get(municipality__number="3334")
    assert (flesberg.grounds, flesberg.first_listed_on, flesberg.last_listed_on) == (
        "a,b,c,d",
        dt.date(2026, 4, 20),
        dt.date(2026, 4, 20),
    )
    assert flesberg.ground_labels[0] == "a) The operating budget was adopted with a deficit"
    assert flesberg.source_url.startswith("https://www.regjeringen.no/")
    before = counts()
    again = robek_import(actor=SYSTEM, register=register)
    assert dict(again.counts) == {"unchanged": 27}
    assert counts() == before


def test_a_newer_publication_updates_grounds_and_closes_entries_it_no_longer_lists(tmp_path):
    robek_import(actor=SYSTEM, register=read_register(write_register(tmp_path, "2026-01-10", [
        {"kommunenummer": "3322", "kommune": "Nesbyen", "hjemmel": "c og d"},
        {"kommunenummer": "3334", "kommune": "Flesberg", "hjemmel": "d"},
    ])))  # fmt: skip
    result = robek_import(actor=SYSTEM, register=read_register(write_register(tmp_path, "2026-04-20", [
        {"kommunenummer": "3334", "kommune": "Flesberg", "hjemmel": "a, b, c og d"},
        {"kommunenummer": "3416", "kommune": "Eidskog", "hjemmel": "d"},
    ])))  # fmt: skip
    assert dict(result.counts) == {"created": 1, "updated": 2}
    nesbyen = RobekEntry.objects.get(municipality__number="3322")
    assert (nesbyen.removed_on, nesbyen.is_listed) == (dt.date(2026, 4, 20), False)
    flesberg = RobekEntry.objects.get(municipality__number="3334")
    assert (flesberg.grounds, flesberg.first_listed_on, flesberg.last_listed_on) == (
        "a,b,c,d",
        dt.date(2026, 1, 10),
        dt.date(2026, 4, 20),
    )
    update = AuditEvent.objects.get(action="robek_import.update")
    assert (update.before, update.after) == (
        {"grounds": "d", "last_listed_on": "2026-01-10"},
        {"grounds": "a,b,c,d", "last_listed_on": "2026-04-20"},
    )
    assert AuditEvent.objects.filter(action="robek_import.remove").count() == 1


def test_an_older_publication_than_the_one_imported_is_refused(tmp_path):
    robek_import(actor=SYSTEM, register=read_register(shared_data() / REGISTER))
    before = counts()
    older = read_register(
        write_register(tmp_path, "2025-10-01", [{"kommunenummer": "3322", "kommune": "Nesbyen", "hjemmel": "c"}])
    )
    with pytest.raises(ImportRejected) as caught:
        robek_import(actor=SYSTEM, register=older)
    assert caught.value.errors == [
        RowError(0, "This publication (1 October 2025) is older than the one already imported (20 April 2026).")
    ]
    assert counts() == before


def test_a_register_with_bad_entries_imports_nothing_and_names_each(tmp_path):
    path = write_register(tmp_path, "2026-04-20", [
        {"kommunenummer": "3322", "kommune": "Nesbyen", "hjemmel": "c og d"},
        {"kommunenummer": "33", "kommune": "Kort", "hjemmel": "c"},
        {"kommunenummer": "3416", "kommune": "Eidskog", "hjemmel": "x"},
        {"kommunenummer": "1507", "kommune": "Ålesund (gammel)", "hjemmel": "d"},
    ])  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        robek_import(actor=SYSTEM, register=read_register(path))
    assert [(e.line, e.reason) for e in caught.value.errors] == [
        (2, "“33” is not a municipality number."),
        (3, "Unknown legal ground “x”."),
    ]
    path = write_register(tmp_path, "2026-04-20", [{"kommunenummer": "1507", "kommune": "Ålesund", "hjemmel": "d"}])
    with pytest.raises(ImportRejected) as caught:
        robek_import(actor=SYSTEM, register=read_register(path))
    assert [(e.line, e.reason) for e in caught.value.errors] == [
        (1, "1507 Ålesund was not a municipality on 20 April 2026.")
    ]
    assert RobekEntry.objects.count() == 0


def test_the_command_imports_the_shared_file_and_refuses_a_broken_one(tmp_path, capsys):
    call_command("import_robek")
    assert RobekEntry.objects.count() == 27
    broken = tmp_path / "robek-broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_robek", file=broken)
    assert RobekEntry.objects.count() == 27
