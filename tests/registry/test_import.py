from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kommunedialog.core.models import AuditEvent
from kommunedialog.registry.klass_client import KlassClient, KlassError
from kommunedialog.registry.models import CodeChange, County, KostraGroup, LanguageForm, Municipality, Office
from kommunedialog.registry.services import registry_import
from kommunedialog.registry.sources import RegistrySourceError, read_live, read_source_dir
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def table_counts() -> dict[str, int]:
    return {
        "offices": Office.objects.count(),
        "counties": County.objects.count(),
        "groups": KostraGroup.objects.count(),
        "changes": CodeChange.objects.count(),
        "municipalities": Municipality.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_register_has_the_2024_structure():
    assert Municipality.objects.current().count() == 357
    assert County.objects.count() == 15
    assert Office.objects.count() == 10
    assert KostraGroup.objects.count() == 17
    assert CodeChange.objects.count() == 516


def test_every_current_municipality_has_county_office_and_facts():
    current = Municipality.objects.current()
    assert current.filter(county__isnull=True).count() == 0
    assert current.filter(kostra_group__isnull=True).count() == 0
    assert current.filter(population__isnull=True).count() == 0
    assert current.filter(language_form="").count() == 0
    # Population of Norway 1 January 2024, from the data README.
    assert sum(current.values_list("population", flat=True)) == 5_550_203


def test_municipality_facts_come_from_the_files():
    lorenskog = Municipality.objects.current().get(number="3222")
    assert (lorenskog.name, lorenskog.county.number, lorenskog.office.code) == (
        "Lørenskog",
        "32",
        "ostfold-buskerud-oslo-akershus",
    )
    assert lorenskog.valid_from == dt.date(2024, 1, 1)
    assert lorenskog.valid_to is None
    oslo = Municipality.objects.current().get(number="0301")
    assert (oslo.name_norwegian, oslo.other_names, oslo.language_form) == ("Oslo", ["Oslove"], LanguageForm.NEUTRAL)
    assert (oslo.population, oslo.population_year, oslo.centrality, oslo.kostra_group.code) == (
        717710,
        2024,
        1,
        "EKG13",
    )


def test_sami_name_first_is_recognised_through_the_norwegian_name():
    snasa = Municipality.objects.current().get(number="5041")
    assert (snasa.name, snasa.name_norwegian, snasa.other_names) == ("Snåase - Snåsa", "Snåsa", ["Snåase"])
    lyngen = Municipality.objects.current().get(number="5536")
    assert lyngen.other_names == ["Ivgu", "Yykeä"]


def test_former_codes_are_kept_as_closed_versions():
    old = Municipality.objects.get(number="3029")
    assert (old.valid_from, old.valid_to, old.county) == (dt.date(2020, 1, 1), dt.date(2024, 1, 1), None)
    assert not old.is_current


def test_split_weights_come_from_the_fhi_table():
    split = {c.new_code: (c.weight, c.weight_source) for c in CodeChange.objects.filter(old_code="1507")}
    assert split == {"1508": (Decimal("0.5000"), "fhi"), "1580": (Decimal("0.5000"), "fhi")}
    snillfjord = {c.new_code: c.weight for c in CodeChange.objects.filter(old_code="5012")}
    assert snillfjord == {"5055": Decimal("0.3500"), "5056": Decimal("0.3500"), "5059": Decimal("0.3000")}
    # Stokke's 2017 split is in no weight table: equal shares, and it says so.
    stokke = {(c.new_code, c.weight, c.weight_source) for c in CodeChange.objects.filter(old_code="0720")}
    assert stokke == {("0704", Decimal("0.5000"), "equal"), ("0710", Decimal("0.5000"), "equal")}


def test_second_import_writes_nothing(capsys):
    before = table_counts()
    call_command("import_registry", source=shared_data())
    out = capsys.readouterr().out
    assert "Register already up to date: nothing written." in out
    assert "municipalities: 0 created, 0 updated, 842 unchanged" in out
    assert table_counts() == before


def test_a_changed_name_is_updated_and_audited():
    hjelmeland = Municipality.objects.current().get(number="1133")
    Municipality.objects.filter(pk=hjelmeland.pk).update(name="Hjelmeland (old spelling)")
    result = registry_import(source=read_source_dir(shared_data()))
    assert result.writes == 1
    assert result.counts["municipalities"]["updated"] == 1
    event = AuditEvent.objects.get(action="registry_import.update")
    assert (event.before, event.after) == ({"name": "Hjelmeland (old spelling)"}, {"name": "Hjelmeland"})
    assert event.actor_label == "system"


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(shared_data() / "klass", root / "klass")
    shutil.copytree(shared_data() / "regions", root / "regions")
    shutil.copytree(shared_data() / "panel", root / "panel")
    return root


def test_malformed_json_is_refused_and_changes_nothing(source_copy: Path):
    before = table_counts()
    codes_file = next((source_copy / "klass").glob("klass-131-codesAt-*.json"))
    codes_file.write_text(codes_file.read_text(encoding="utf-8")[:5000], encoding="utf-8")  # truncated download
    with pytest.raises(CommandError, match=re.escape("klass-131-codesAt-2026-01-01.json: cannot be read as JSON")):
        call_command("import_registry", source=source_copy)
    assert table_counts() == before


def test_unknown_codes_in_the_panel_are_listed_with_their_line(source_copy: Path):
    panel = source_copy / "panel" / "derived-kommune-kostragruppe-robek-sentralitet-pop-2022-2024.csv"
    lines = panel.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace(lines[-1].split(",")[1], "9876", 1)
    panel.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RegistrySourceError) as caught:
        read_source_dir(source_copy)
    assert caught.value.problems == [f"{panel.name} line {len(lines)}: unknown municipality code '9876'"]


def test_a_failure_half_way_rolls_everything_back(source_copy: Path):
    source = read_source_dir(source_copy)
    Municipality.objects.filter(number="1133", valid_to__isnull=True).update(name="Before")
    # A county the offices reference does not know stops the import after offices, history and most rows.
    source.codes["9901"] = "Nowhere"
    before = table_counts()
    with pytest.raises(ValueError, match="no county 99"):
        registry_import(source=source)
    assert table_counts() == before
    assert Municipality.objects.get(number="1133", valid_to__isnull=True).name == "Before"


def test_a_retired_municipality_is_closed_not_deleted(source_copy: Path):
    source = read_source_dir(source_copy)
    del source.codes["1580"]  # imagine Haram merged back into Ålesund
    from kommunedialog.registry.sources import ChangeSpec

    source.changes.append(ChangeSpec("1580", "Haram", "1508", "Ålesund", dt.date(2026, 1, 1)))
    registry_import(source=source)
    haram = Municipality.objects.get(number="1580")
    assert (haram.valid_from, haram.valid_to) == (dt.date(2024, 1, 1), dt.date(2026, 1, 1))
    assert Municipality.objects.current().count() == 356


def recorded_klass_transport() -> httpx.MockTransport:
    """Replays the recorded KLASS responses in ../shared/data/klass. The changes file holds the
    ``codeChanges`` array of the real response; it is put back in its envelope here."""
    codes_body = (shared_data() / "klass" / "klass-131-codesAt-2026-01-01.json").read_bytes()
    changes = json.loads((shared_data() / "klass" / "klass-131-changes-2011-2024.json").read_text(encoding="utf-8"))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/klass/v1/classifications/131/codesAt":
            return httpx.Response(200, content=codes_body, headers={"Content-Type": "application/json"})
        if request.url.path == "/api/klass/v1/classifications/131/changes":
            return httpx.Response(200, json={"codeChanges": changes})
        return httpx.Response(404, json={"error": "not recorded"})

    transport = httpx.MockTransport(handler)
    transport.seen = seen  # type: ignore[attr-defined]
    return transport


def test_live_import_reads_klass_and_keeps_what_klass_does_not_say():
    transport = recorded_klass_transport()
    client = KlassClient(base_url="https://data.ssb.no/api/klass/v1", transport=transport)
    source = read_live(client, on=dt.date(2026, 1, 1))
    assert (len(source.codes), len(source.changes)) == (357, 516)
    assert source.facts is None
    result = registry_import(source=source)
    assert result.writes == 0  # same codes and history as the files; facts and FHI weights kept
    params = [dict(r.url.params) for r in transport.seen]  # type: ignore[attr-defined]
    assert params == [
        {"date": "2026-01-01", "language": "nb"},
        {"from": "2008-01-01", "to": "2026-01-01", "language": "nb"},
    ]


def test_klass_errors_are_clear():
    client = KlassClient(
        base_url="https://data.ssb.no/api/klass/v1",
        transport=httpx.MockTransport(lambda r: httpx.Response(503, text="Service Unavailable")),
    )
    with pytest.raises(
        KlassError,
        match=re.escape("KLASS answered 503 for https://data.ssb.no/api/klass/v1/classifications/131/codesAt"),
    ):
        client.codes_at(131, dt.date(2026, 1, 1))
