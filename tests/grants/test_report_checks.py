"""Reports that make sense (issue 15): spending above the grant, or a final report far below it, needs an
explanation before it can be sent and is flagged to the office; impossible figures are refused; the
office returns a report for correction with a reason. Every refusal leaves everything as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.models import Project, Report
from tests.factories import write_report

pytestmark = pytest.mark.django_db

GRANT = 400_000


@pytest.fixture
def project(application_in) -> Project:
    project = application_in("approved").project
    assert project.amount_awarded == GRANT
    return project


def report_of(project: Project, kind: str = "final") -> Report:
    return project.reports.get(kind=kind)


def report_snapshot(report: Report) -> tuple:
    fresh = Report.objects.get(pk=report.pk)
    return model_to_dict(fresh), fresh.version, fresh.project.state, AuditEvent.objects.count()


def english_client(user: Any) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("spent", "note"),
    [
        (9_999_999 // 3, "The money spent (NOK 3,333,333) is more than the grant (NOK 400,000): explain why"),
        (GRANT + 1, "The money spent (NOK 400,001) is more than the grant (NOK 400,000): explain why"),
        (319_999, "The money spent (NOK 319,999) is less than 80 % of the grant (NOK 400,000): explain why"),
    ],
)
def test_a_deviating_final_report_is_not_sent_without_an_explanation(project, people, spent, note):
    report = write_report(report_of(project), people["applicant"], money_spent=spent)
    before = report_snapshot(report)
    with pytest.raises(Refused) as refused:
        services.report_submit(report=report, actor=people["applicant"])
    assert str(refused.value.reason).replace("\u202f", " ") == note
    assert report_snapshot(report) == before
    report = write_report(report, people["applicant"], money_spent=spent, explanation="Dyrare lisensar enn venta.")
    assert services.report_submit(report=report, actor=people["applicant"]).state == "submitted"


@pytest.mark.parametrize("spent", [GRANT, 320_000])
def test_spending_within_the_grant_needs_no_explanation(project, people, spent):
    report = write_report(report_of(project), people["applicant"], money_spent=spent)
    assert (report.spending_deviation, services.report_submit(report=report, actor=people["applicant"]).state) == (
        None,
        "submitted",
    )


def test_an_interim_report_may_spend_little_but_not_more_than_the_grant(project, people):
    interim = write_report(report_of(project, "interim"), people["applicant"], money_spent=10_000)
    assert interim.spending_deviation is None
    interim = write_report(interim, people["applicant"], money_spent=GRANT + 50_000)
    assert interim.spending_deviation == "over"


@pytest.mark.parametrize(
    ("spent", "reason"),
    [
        (-1, r"^Money spent cannot be negative$"),
        (GRANT * 10 + 1, r"^NOK 4,000,001 is more than 10 times the grant: check the figure$"),
    ],
)
def test_impossible_figures_are_refused(project, people, spent, reason):
    report = write_report(report_of(project), people["applicant"])
    before = report_snapshot(report)
    with pytest.raises(Refused, match=reason) as refused:
        write_report(report, people["applicant"], money_spent=spent)
    assert refused.value.field == "money_spent"
    assert report_snapshot(report) == before


def test_the_office_sees_the_deviation_flagged_with_the_explanation(project, people):
    report = write_report(report_of(project), people["applicant"], money_spent=500_000, explanation="Dyrare lisensar.")
    services.report_submit(report=report, actor=people["applicant"])
    html = english_client(people["staff"]).get(reverse("grants:report_edit", args=[report.pk])).content.decode()
    flag = " ".join(html[html.index('id="spending-flag"') :].split()).replace("\u202f", " ")
    assert flag.startswith(
        'id="spending-flag"> <h2 class="ds-heading" data-size="xs">Check the spending</h2> '
        '<p class="ds-paragraph">The money spent (NOK 500,000) is more than the grant (NOK 400,000).</p> '
        '<p class="ds-paragraph"><strong>The municipality\'s explanation:</strong> Dyrare lisensar.</p>'
    )
    applicant_page = english_client(people["applicant"]).get(reverse("grants:report_edit", args=[report.pk]))
    assert 'id="spending-flag"' not in applicant_page.content.decode()


def test_the_office_returns_a_report_with_a_reason_and_the_municipality_corrects_it(project, people):
    report = write_report(report_of(project), people["applicant"], money_spent=500_000, explanation="Meir.")
    report = services.report_submit(report=report, actor=people["applicant"])
    before = report_snapshot(report)
    with pytest.raises(Refused, match=r"^Say what must be corrected$"):
        services.report_return(report=report, actor=people["staff"], reason=" ")
    assert report_snapshot(report) == before
    returned = services.report_return(report=report, actor=people["staff"], reason="Forklar kva lisensane kosta.")
    assert (returned.state, returned.return_reason, Project.objects.get(pk=project.pk).state) == (
        "returned",
        "Forklar kva lisensane kosta.",
        "active",
    )
    corrected = write_report(returned, people["applicant"], money_spent=500_000, explanation="Lisensar: 100 000 kr.")
    assert services.report_submit(report=corrected, actor=people["applicant"]).state == "submitted"
    assert services.report_approve(report=corrected, actor=people["staff"]).state == "approved"
