"""Imports: every bad row reported with its line and reason, all or nothing, and idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.oversight.importers import COLUMNS, ImportKind, template_rows
from kommunedialog.oversight.models import ComplaintStatistic, Cooperation, Plan, Supervision
from kommunedialog.oversight.services import oversight_import
from kommunedialog.oversight.tabular import ImportRejected, RowError, read_table
from tests.oversight.conftest import SUPERVISION_HEADER, counts, csv_text, supervision_row, xlsx_content

pytestmark = pytest.mark.django_db


def run(content: bytes, *, actor, office, kind: str = "supervisions", fmt: str = "csv"):
    return oversight_import(actor=actor, office=office, kind=kind, table=read_table(io.BytesIO(content), kind=fmt))


def rejected(content: bytes, **kwargs) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        run(content, **kwargs)
    return [(e.line, e.column, e.reason) for e in caught.value.errors]


def test_a_good_file_creates_every_row_with_findings_and_audits_each(staff_user, rogaland):
    content = csv_text(
        SUPERVISION_HEADER, [supervision_row(), supervision_row(municipality="1134", reference="2025/7")]
    )
    result = run(content, actor=staff_user, office=rogaland)
    assert dict(result.counts) == {"created": 2}
    s = Supervision.objects.get(municipality__number="1133", reference="2025/101")
    assert (s.domain, s.authority, s.supervision_type, s.status) == (
        "health_care",
        "statsforvalteren",
        "system_audit",
        "open",
    )
    assert (s.planned_on, s.carried_out_on, s.report_on) == (
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 14),
        dt.date(2025, 11, 20),
    )
    assert (s.nonconformity_count, s.remark_count) == (1, 2)
    assert [f.text for f in s.nonconformities] == ["Legemidler gis ikke etter forordning"]
    assert [f.text for f in s.remarks] == ["Opplæringsplan", "Avviksrutine"]
    events = AuditEvent.objects.filter(action="supervisions_import.create")
    assert events.count() == 2
    assert {e.actor_id for e in events} == {staff_user.pk}


def test_importing_the_same_file_twice_writes_nothing_the_second_time(staff_user, rogaland):
    content = csv_text(
        SUPERVISION_HEADER, [supervision_row(), supervision_row(municipality="1134", reference="2025/7")]
    )
    run(content, actor=staff_user, office=rogaland)
    before = counts()
    updated_at = list(Supervision.objects.order_by("pk").values_list("updated_at", flat=True))
    result = run(content, actor=staff_user, office=rogaland)
    assert dict(result.counts) == {"unchanged": 2}
    assert result.writes == 0
    assert counts() == before
    assert list(Supervision.objects.order_by("pk").values_list("updated_at", flat=True)) == updated_at


def test_a_changed_row_updates_and_audits_only_what_changed(staff_user, rogaland):
    run(csv_text(SUPERVISION_HEADER, [supervision_row()]), actor=staff_user, office=rogaland)
    changed = supervision_row(status="lukket", closed="2026-01-15", remark_texts="Opplæringsplan | Ny rutine")
    result = run(csv_text(SUPERVISION_HEADER, [changed]), actor=staff_user, office=rogaland)
    assert dict(result.counts) == {"updated": 1}
    event = AuditEvent.objects.get(action="supervisions_import.update")
    assert event.before == {"closed_on": None, "remarks": ["Opplæringsplan", "Avviksrutine"], "status": "open"}
    assert event.after == {"closed_on": "2026-01-15", "remarks": ["Opplæringsplan", "Ny rutine"], "status": "closed"}
    s = Supervision.objects.get()
    assert [f.text for f in s.remarks] == ["Opplæringsplan", "Ny rutine"]


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_bad_row(staff_user, rogaland):
    rows = [
        supervision_row(),  # line 2: good
        supervision_row(municipality="9998", reference="a"),  # line 3
        supervision_row(domain="fotball", reference="b"),  # line 4
        supervision_row(planned="32.13.2025", carried_out="", reference="c"),  # line 5
        supervision_row(nonconformities="to", reference="d"),  # line 6
        supervision_row(status="lukket", closed="", reference="e"),  # line 7
        supervision_row(municipality="4601", reference="f"),  # line 8: Bergen, in Vestland
        supervision_row(),  # line 9: same as line 2
        supervision_row(reference="g", nonconformities="3"),  # line 10: 1 text for 3
    ]
    before = counts()
    errors = rejected(csv_text(SUPERVISION_HEADER, rows), actor=staff_user, office=rogaland)
    assert errors == [
        (3, "municipality", "9998 is not a current municipality number."),
        (4, "domain", "“fotball” is not a known domain."),
        (5, "planned", "“32.13.2025” is not a date (YYYY-MM-DD or DD.MM.YYYY)."),
        (6, "nonconformities", "“to” is not a whole number."),
        (7, "", "A closed supervision needs its closing date."),
        (8, "municipality", "4601 Bergen is outside the area of Statsforvalteren i Rogaland."),
        (9, "", "The same record as on line 2."),
        (10, "", "Nonconformity texts (1) do not match the number of nonconformities (3)."),
    ]
    assert counts() == before


def test_the_same_rules_hold_for_xlsx_with_real_dates_and_numbers(staff_user, rogaland):
    naive = dt.datetime(2025, 9, 1)  # noqa: DTZ001 (spreadsheet cells hold naive datetimes)
    rows = [
        supervision_row(planned=naive, carried_out=dt.date(2025, 10, 14), nonconformities=1, remarks=2),
        supervision_row(municipality=301, reference="x", nonconformities=1.5),
    ]
    errors = rejected(xlsx_content(SUPERVISION_HEADER, rows), actor=staff_user, office=rogaland, fmt="xlsx")
    assert errors == [
        (3, "municipality", "0301 Oslo is outside the area of Statsforvalteren i Rogaland."),
        (3, "nonconformities", "“1.5” is not a whole number."),
    ]
    result = run(xlsx_content(SUPERVISION_HEADER, rows[:1]), actor=staff_user, office=rogaland, fmt="xlsx")
    assert dict(result.counts) == {"created": 1}
    assert Supervision.objects.get().planned_on == dt.date(2025, 9, 1)


@pytest.mark.parametrize("header", ["navn", "Name", "Fødselsnummer", "personnummer", "Klager navn", "fnr"])
def test_a_column_that_looks_like_personal_data_rejects_the_file(header, staff_user, rogaland):
    content = csv_text(
        ["municipality", "domain", "year", "received", "decided", "upheld", "reversed", "sent_back", header],
        [["1133", "barnevern", "2025", "3", "3", "2", "1", "0", "x"]],
    )
    before = counts()
    errors = rejected(content, actor=staff_user, office=rogaland, kind="complaints")
    assert errors == [
        (
            1,
            "",
            f"The column “{header}” looks like personal data (a name or national identity number). "
            "These lists hold aggregated facts only: remove the column.",
        )
    ]
    assert counts() == before


@pytest.mark.parametrize("value", ["01018012345", "010180 12345", 12018012345])
def test_a_cell_that_looks_like_a_national_identity_number_rejects_the_file(value, staff_user, rogaland):
    header = ["municipality", "domain", "year", "received", "decided", "upheld", "reversed", "sent_back"]
    rows = [["1133", "barnevern", 2025, 3, 3, 2, 1, 0], ["1134", value, 2025, 3, 3, 2, 1, 0]]
    before = counts()
    errors = rejected(xlsx_content(header, rows), actor=staff_user, office=rogaland, kind="complaints", fmt="xlsx")
    assert errors == [(3, "domain", "This looks like a national identity number; remove personal data.")]
    assert counts() == before


def test_unknown_missing_and_unnamed_columns_are_file_errors(staff_user, rogaland):
    content = csv_text(["municipality", "domain", "year", "kommentar", ""], [["1133", "barnevern", "2025", "", "7"]])
    errors = rejected(content, actor=staff_user, office=rogaland, kind="complaints")
    assert errors == [
        (
            1,
            "",
            "Unknown column “kommentar”. The columns are: municipality, domain, year, received, decided, upheld, "
            "reversed, sent_back.",
        ),
        (1, "", "Column 5 has values but no header."),
        (1, "", "Required columns are missing: received, decided, upheld, reversed, sent_back."),
    ]


def test_complaint_statistics_are_counts_with_outcomes_within_decided(staff_user, rogaland):
    header = ["Kommunenummer", "Fagområde", "År", "Mottatt", "Avgjort", "Stadfestet", "Omgjort", "Opphevet"]
    rows = [
        ["1133", "Barnevern", "2025", "14", "12", "9", "2", "1"],
        ["1134", "sosialtjenesten", "2025", "4", "3", "3", "1", "0"],
    ]
    errors = rejected(csv_text(header, rows, delimiter=","), actor=staff_user, office=rogaland, kind="complaints")
    assert errors == [(3, "", "Upheld, reversed and sent back add up to more than the cases decided.")]
    result = run(csv_text(header, rows[:1], delimiter=","), actor=staff_user, office=rogaland, kind="complaints")
    assert dict(result.counts) == {"created": 1}
    c = ComplaintStatistic.objects.get()
    assert (c.municipality.number, c.domain, c.year, c.received, c.decided, c.upheld, c.reversed, c.sent_back) == (
        "1133",
        "child_welfare",
        2025,
        14,
        12,
        9,
        2,
        1,
    )
    assert c.other_outcomes == 0


def test_the_complaint_model_has_no_field_for_a_person():
    names = {f.name for f in ComplaintStatistic._meta.get_fields()}
    assert names == {
        "id",
        "municipality",
        "domain",
        "year",
        "received",
        "decided",
        "upheld",
        "reversed",
        "sent_back",
        "updated_at",
    }


def test_plans_import_with_norwegian_type_names(staff_user, rogaland):
    header = ["municipality", "type", "title", "adopted", "revision_due", "url"]
    rows = [
        ["1133", "Planstrategi", "Planstrategi 2020", "18.06.2020", "", ""],
        ["1133", "Kommuneplanens samfunnsdel", "", "2019-05-02", "2019-01-01", ""],
        ["1133", "økonomiplan", "", "", "", "ikke en lenke"],
    ]
    errors = rejected(csv_text(header, rows), actor=staff_user, office=rogaland, kind="plans")
    assert errors == [
        (3, "", "The revision date is not after the adoption date."),
        (4, "adopted", "A date is required."),
        (4, "url", "“ikke en lenke” is not a web address."),
    ]
    result = run(csv_text(header, rows[:1]), actor=staff_user, office=rogaland, kind="plans")
    assert dict(result.counts) == {"created": 1}
    assert Plan.objects.get().plan_type == "planning_strategy"


def test_cooperation_import_with_members_across_offices(staff_user, rogaland):
    header = ["arrangement", "service_area", "domain", "legal_form", "host", "members"]
    rows = [
        ["Ryfylke legevakt", "legevakt", "helse og omsorg", "vertskommune", "1134", "1133, 1134, 1135"],
        ["Grenseløs IKT", "IKT", "", "IKS", "", "1133 4601"],
        ["Bare Vestland", "revisjon", "", "IKS", "", "4601, 4602"],
        ["Feil vert", "brann", "", "IKS", "1103", "1133, 1134"],
    ]
    errors = rejected(csv_text(header, rows), actor=staff_user, office=rogaland, kind="cooperations")
    assert errors == [
        (4, "members", "None of the members is in the area of Statsforvalteren i Rogaland."),
        (5, "", "The host municipality must be one of the members."),
    ]
    result = run(csv_text(header, rows[:2]), actor=staff_user, office=rogaland, kind="cooperations")
    assert dict(result.counts) == {"created": 2}
    legevakt = Cooperation.objects.get(name="Ryfylke legevakt")
    assert (legevakt.legal_form, legevakt.host.number, legevakt.domain) == ("host_municipality", "1134", "health_care")
    assert sorted(legevakt.members.values_list("number", flat=True)) == ["1133", "1134", "1135"]
    again = run(csv_text(header, rows[:2]), actor=staff_user, office=rogaland, kind="cooperations")
    assert dict(again.counts) == {"unchanged": 2}


def test_another_office_cannot_take_over_a_cooperation_it_has_no_member_in(staff_user, rogaland):
    from kommunedialog.registry.models import Office

    header = ["arrangement", "service_area", "legal_form", "members"]
    run(
        csv_text(header, [["Vestlandsrevisjon", "revisjon", "IKS", "4601, 4602"]]),
        actor=SYSTEM,
        office=Office.objects.get(code="vestland"),
        kind="cooperations",
    )
    before = counts()
    errors = rejected(
        csv_text(header, [["Vestlandsrevisjon", "revisjon", "IKS", "1133, 4601"]]),
        actor=staff_user,
        office=rogaland,
        kind="cooperations",
    )
    assert errors == [(2, "", "This arrangement is registered with no member in your office's area.")]
    assert counts() == before


def test_every_kind_has_a_template_whose_header_imports_as_an_empty_file(rogaland):
    for kind in ImportKind:
        headers, guide = template_rows(kind)
        assert headers == [c.key for c in COLUMNS[kind]]
        assert [row[0] for row in guide] == headers
        with pytest.raises(ImportRejected) as caught:
            run(csv_text(headers, []), actor=SYSTEM, office=rogaland, kind=kind)
        assert caught.value.errors == [RowError(0, "The file has a header but no rows.")]


def test_a_template_filled_with_its_examples_imports(rogaland):
    for kind in ImportKind:
        headers, guide = template_rows(kind)
        example = [row[3] for row in guide]
        result = run(csv_text(headers, [example]), actor=SYSTEM, office=rogaland, kind=kind)
        assert dict(result.counts) == {"created": 1}, kind


def test_the_commands_write_a_template_and_import_a_file(tmp_path, rogaland):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    template = tmp_path / "plans.xlsx"
    call_command("oversight_template", "plans", str(template), stdout=io.StringIO())
    good = tmp_path / "plans.csv"
    good.write_bytes(csv_text(["municipality", "type", "adopted"], [["1133", "økonomiplan", "2025-12-16"]]))
    out = io.StringIO()
    call_command("import_oversight", "plans", str(good), office="rogaland", stdout=out)
    assert out.getvalue() == "plans.csv: 1 created, 0 updated, 0 unchanged\n"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_text(["municipality", "type", "adopted"], [["1133", "økonomiplan", "i går"]]))
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_oversight", "plans", str(bad), office="rogaland", stderr=err)
    assert err.getvalue() == "Line 2 (adopted): “i går” is not a date (YYYY-MM-DD or DD.MM.YYYY).\n"
    assert counts() == before
    assert Plan.objects.get().adopted_on == dt.date(2025, 12, 16)
