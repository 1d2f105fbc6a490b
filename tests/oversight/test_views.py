"""The staff pages: only the office's own staff and coordinators get in; refusals change nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.test import Client

from kommunedialog.core.actors import SYSTEM
from kommunedialog.demo.oversight import load_demo_oversight
from kommunedialog.oversight.models import Supervision
from tests.factories import UserFactory
from tests.oversight.conftest import SUPERVISION_HEADER, counts, csv_text, supervision_row, upload, xlsx_content

pytestmark = pytest.mark.django_db

OVERVIEW = "/intern/oversikt/rogaland/"

OUTSIDERS = {
    "municipality user": {"role": "municipality_user", "municipality": "1133"},
    "ministry": {"role": "ministry"},
    "administrator": {"role": "admin"},
    "staff of another office": {"role": "staff", "office": "vestland"},
    "coordinator of another office": {"role": "coordinator", "office": "vestland"},
}


def client_for(**spec) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(**spec))
    return client


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    load_demo_oversight()


@pytest.fixture
def staff() -> Client:
    return client_for(role="staff", office="rogaland")


def test_the_public_is_sent_to_the_login_page(client, demo):
    for path in (
        "/intern/oversikt/",
        OVERVIEW,
        OVERVIEW + "eksport.csv",
        OVERVIEW + "import/",
        OVERVIEW + "kommuner/1133/",
    ):
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (302, f"/konto/logg-inn/?next={path}")


@pytest.mark.parametrize("who", list(OUTSIDERS))
@pytest.mark.parametrize(
    "path",
    [
        OVERVIEW,
        OVERVIEW + "eksport.csv",
        OVERVIEW + "eksport.xlsx",
        OVERVIEW + "kommuner/1133/",
        OVERVIEW + "import/",
        OVERVIEW + "import/mal-supervisions.xlsx",
    ],
)
def test_outsiders_get_404_from_the_offices_pages(who, path, demo):
    response = client_for(**OUTSIDERS[who]).get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["municipality user", "ministry", "administrator"])
def test_users_without_an_office_get_404_from_the_start_page(who):
    assert client_for(**OUTSIDERS[who]).get("/intern/oversikt/").status_code == 404


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_the_start_page_leads_office_members_to_their_own_office(role):
    response = client_for(role=role, office="rogaland").get("/intern/oversikt/")
    assert (response.status_code, response.headers["Location"]) == (302, OVERVIEW)
    other = client_for(role=role, office="vestland").get("/intern/oversikt/")
    assert other.headers["Location"] == "/intern/oversikt/vestland/"


def test_someone_in_two_offices_chooses(staff):
    from kommunedialog.accounts import services
    from kommunedialog.accounts.models import Role, User
    from kommunedialog.registry.models import Office

    user = User.objects.get(role_assignments__office__code="rogaland")
    services.role_grant(actor=SYSTEM, user=user, role=Role.STAFF, office=Office.objects.get(code="vestland"))
    response = staff.get("/intern/oversikt/")
    assert response.status_code == 200
    assert [o.code for o in response.context["offices"]] == ["rogaland", "vestland"]


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_the_overview_is_grouped_by_domain_with_municipalities_by_name(role, demo, django_assert_max_num_queries):
    client = client_for(role=role, office="rogaland")
    with django_assert_max_num_queries(20):
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    groups = response.context["overview"].groups
    listed = [(g.domain.value, [r.municipality.number for r in g.rows]) for g in groups if g.rows]
    assert listed == [
        ("health_care", ["1133", "1135", "1134"]),
        ("child_welfare", ["1133"]),
        ("education", ["1135"]),
        ("economy", ["1133"]),
        ("planning", ["1133", "1135", "1134"]),
        ("social_services", ["1133"]),
        ("civil_protection", ["1133", "1134"]),
    ]
    html = response.content.decode()
    assert html.count("<caption>") == 7
    assert "1 open supervision" in html
    assert "Overdue</span>" in html
    columns = set(re.findall(r'<th scope="col">([^<]*)</th>', html))
    assert columns == {
        "Municipality",
        "Open supervisions and findings",
        "Overdue plans",
        "ROBEK",
        "Complaint cases (latest year)",
        "Shared services",
    }


def test_the_overview_filters_by_domain_municipality_and_attention(staff, demo):
    response = staff.get(OVERVIEW, {"domain": "planning", "show": "attention"})
    groups = response.context["overview"].groups
    assert [(g.domain.value, [r.municipality.number for r in g.rows], g.without_records) for g in groups] == [
        ("planning", ["1133"], 22)
    ]
    suldal = response.context["form"].fields["municipality"].queryset.get(number="1134")
    response = staff.get(OVERVIEW, {"municipality": suldal.pk, "show": "all"})
    groups = response.context["overview"].groups
    assert len(groups) == 11
    assert all([r.municipality.number for r in g.rows] == ["1134"] for g in groups)


def test_htmx_filtering_answers_with_the_results_fragment(staff, demo):
    response = staff.get(OVERVIEW, {"domain": "education"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div id="overview-results">')
    assert "<h1" not in html
    assert "eksport.csv?domain=education" in html


def test_an_invalid_filter_shows_everything_rather_than_an_error(staff, demo):
    response = staff.get(OVERVIEW, {"domain": "nonsense", "municipality": "999999"})
    assert response.status_code == 200
    assert len(response.context["overview"].groups) == 11


def test_the_export_has_the_filtered_rows_in_overview_order(staff, demo):
    response = staff.get(OVERVIEW + "eksport.csv", {"domain": "health_care"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="oversikt-rogaland-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "Domain",
        "Municipality number",
        "Municipality",
        "Open supervisions",
        "Open nonconformities",
        "Open remarks",
        "Overdue plans",
    ]
    # By name: Hjelmeland, Sauda, Suldal.
    assert [r[1] for r in rows[1:]] == ["1133", "1135", "1134"]
    assert rows[1][3:6] == ["1", "1", "1"]
    assert not any("score" in h.lower() or "rank" in h.lower() for h in rows[0])
    xlsx = staff.get(OVERVIEW + "eksport.xlsx", {"domain": "health_care"})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet["B"]][1:] == ["1133", "1135", "1134"]
    assert workbook.sheetnames == ["Overview", "About"]


def test_an_unknown_export_format_is_404(staff):
    assert staff.get(OVERVIEW + "eksport.pdf").status_code == 404


def test_the_municipality_page_shows_every_domain_with_its_records(staff, demo):
    response = staff.get(OVERVIEW + "kommuner/1133/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Demonstrasjon: legemiddelhåndtering i hjemmetjenesten" in html
    assert "Nonconformity 1: Demonstrasjon: kommunen sikrer ikke at legemidler gis etter forordning" in html
    assert html.count('<h2 class="ds-heading" data-size="md"') == 11
    # A municipality of another office is not found, even by a member of this one.
    assert staff.get(OVERVIEW + "kommuner/4601/").status_code == 404


def test_staff_close_a_supervision_from_the_municipality_page(staff, demo):
    s = Supervision.objects.get(reference="DEMO-2025/101")
    response = staff.post(f"{OVERVIEW}tilsyn/{s.pk}/lukk/", {"closed_on": "2026-02-01"})
    assert (response.status_code, response.headers["Location"]) == (302, OVERVIEW + "kommuner/1133/")
    s.refresh_from_db()
    assert (s.status, s.closed_on) == ("closed", dt.date(2026, 2, 1))


@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_outsiders_cannot_close_a_supervision(who, demo):
    s = Supervision.objects.get(reference="DEMO-2025/101")
    outsider = client_for(**OUTSIDERS[who])
    before = counts()
    response = outsider.post(f"{OVERVIEW}tilsyn/{s.pk}/lukk/", {"closed_on": "2026-02-01"})
    assert response.status_code == 404
    s.refresh_from_db()
    assert (s.status, s.closed_on) == ("open", None)
    assert counts() == before


def test_a_supervision_of_another_office_cannot_be_closed_through_this_one(demo):
    s = Supervision.objects.get(reference="DEMO-2025/101")
    outsider = client_for(role="staff", office="vestland")
    before = counts()
    response = outsider.post(f"/intern/oversikt/vestland/tilsyn/{s.pk}/lukk/", {"closed_on": "2026-02-01"})
    assert response.status_code == 404
    assert counts() == before


def test_uploading_a_good_file_imports_it_and_again_changes_nothing(staff):
    content = csv_text(SUPERVISION_HEADER, [supervision_row()])
    response = staff.post(OVERVIEW + "import/", {"kind": "supervisions", "file": upload("tilsyn.csv", content)})
    assert response.status_code == 200
    assert "Imported: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    before = counts()
    response = staff.post(OVERVIEW + "import/", {"kind": "supervisions", "file": upload("tilsyn.csv", content)})
    assert "Imported: 0 created, 0 updated, 1 unchanged." in response.content.decode()
    assert counts() == before


def test_uploading_a_file_with_bad_rows_lists_them_and_changes_nothing(staff):
    content = xlsx_content(
        SUPERVISION_HEADER,
        [
            supervision_row(),
            supervision_row(reference="b", domain="fotball"),
            supervision_row(municipality="4601", reference="c"),
        ],
    )
    before = counts()
    response = staff.post(OVERVIEW + "import/", {"kind": "supervisions", "file": upload("tilsyn.xlsx", content)})
    assert response.status_code == 422
    assert [(e.line, e.column) for e in response.context["errors"]] == [(3, "domain"), (4, "municipality")]
    html = response.content.decode()
    assert "Nothing was imported: 2 problems in the file." in html
    assert "<td>3</td>" in html
    assert "<td>4</td>" in html
    assert counts() == before


def test_a_file_that_is_not_csv_or_xlsx_is_refused_by_content(staff):
    before = counts()
    response = staff.post(
        OVERVIEW + "import/", {"kind": "plans", "file": upload("plans.xlsx", b"%PDF-1.7 not a sheet")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("“plans.xlsx” is not a file of an accepted type")
    assert counts() == before


@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_outsiders_cannot_import(who):
    content = csv_text(SUPERVISION_HEADER, [supervision_row()])
    outsider = client_for(**OUTSIDERS[who])
    before = counts()
    response = outsider.post(OVERVIEW + "import/", {"kind": "supervisions", "file": upload("t.csv", content)})
    assert response.status_code == 404
    assert counts() == before


def test_templates_download_as_csv_and_xlsx(staff):
    response = staff.get(OVERVIEW + "import/mal-complaints.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mal-complaints.csv"'
    assert (
        response.content.decode("utf-8-sig")
        == "municipality;domain;year;received;decided;upheld;reversed;sent_back\r\n"
    )
    response = staff.get(OVERVIEW + "import/mal-plans.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == [
        "municipality",
        "type",
        "title",
        "adopted",
        "revision_due",
        "url",
    ]
    assert [c.value for c in workbook.worksheets[1]["A"]][1:] == [
        "municipality",
        "type",
        "title",
        "adopted",
        "revision_due",
        "url",
    ]
    assert staff.get(OVERVIEW + "import/mal-people.csv").status_code == 404


def test_get_only_pages_refuse_post(staff):
    before = counts()
    assert staff.post(OVERVIEW).status_code == 405
    assert staff.post(OVERVIEW + "eksport.csv").status_code == 405
    assert counts() == before
