"""Earlier years' grants from a CSV (issue 15, item 5): checked whole, imported all or nothing, skipped
when imported again, audited, and shown on the public site and in the 360Giving file for their years."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kommunedialog.core.models import AuditEvent
from kommunedialog.grants import history, opendata, public
from kommunedialog.grants.models import Application, Call
from kommunedialog.grants.public import GrantFilter

pytestmark = pytest.mark.django_db

HEADER = ",".join(history.COLUMNS)
GOOD = (
    HEADER + "\n" + "rogaland,2023,Prosjektskjønn 2023,1133,1135,Felles barnevern,Samarbeid om barnevern.,cooperation,"
    "500000,400000,2023-04-15,2023-05-01,2024-04-30,\n"
    + "rogaland,2023,Prosjektskjønn 2023,1134,,Digital byggesak,Byggesak på nett.,digitalisation,"
    "300000,300000,2023-04-15,2023-05-01,2023-12-31,\n"
    + "rogaland,2024,Prosjektskjønn 2024,1133,,Klimaplan,Felles klimaplan.,climate_environment,"
    "200000,150000,2024-03-01,2024-04-01,2025-03-31,\n"
)


def run(tmp_path, text: str) -> str:
    path = tmp_path / "historikk.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_grant_history", str(path), stdout=out)
    return out.getvalue()


def test_earlier_years_reach_the_public_site_and_360giving(tmp_path):
    assert run(tmp_path, GOOD) == "3 grants imported, 0 already there\n"
    calls = {(c.year, c.state, c.frame, c.approved_total) for c in Call.objects.all()}
    assert calls == {(2023, "archived", 700_000, 700_000), (2024, "archived", 150_000, 150_000)}
    grants = public.grants(GrantFilter(year=2023))
    assert sorted((g.title, g.amount_awarded) for g in grants) == [
        ("Digital byggesak", 300_000),
        ("Felles barnevern", 400_000),
    ]
    joint = next(g for g in grants if g.title == "Felles barnevern")
    assert [m.number for m in joint.municipalities] == ["1133", "1135"]
    package = [opendata.to_360giving(g) for g in public.grants()]
    assert sorted((g["title"], g["awardDate"][:10]) for g in package) == [
        ("Digital byggesak", "2023-04-15"),
        ("Felles barnevern", "2023-04-15"),
        ("Klimaplan", "2024-03-01"),
    ]
    assert AuditEvent.objects.filter(action="grant_history_import", actor=None).count() == 3
    # Again: nothing new.
    assert run(tmp_path, GOOD) == "0 grants imported, 3 already there\n"
    assert Application.objects.count() == 3


def test_a_faulty_file_imports_nothing_and_names_each_faulty_line(tmp_path):
    bad = (
        GOOD
        + "rogaland,2024,Prosjektskjønn 2024,9999,,Ukjent,Ukjent kommune.,cooperation,100,100,2024-03-01,2024-04-01,2024-05-01,\n"
        + "rogaland,2024,Prosjektskjønn 2024,1134,,For mykje,Meir enn søkt.,cooperation,100,200,2024-03-01,2024-04-01,2024-05-01,\n"
    )
    with pytest.raises(CommandError) as refused:
        run(tmp_path, bad)
    assert str(refused.value).splitlines() == [
        "Nothing imported.",
        "line 5: no municipality '9999' on 2024-03-01",
        "line 6: the amount awarded must be more than zero and at most the amount applied for",
    ]
    imported = AuditEvent.objects.filter(action="grant_history_import").count()
    assert (Call.objects.count(), Application.objects.count(), imported) == (0, 0, 0)


def test_a_file_without_the_columns_is_refused(tmp_path):
    with pytest.raises(CommandError, match="line 1: missing columns"):
        run(tmp_path, "office,year\nrogaland,2023\n")
    assert Call.objects.count() == 0
