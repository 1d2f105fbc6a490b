"""Change requests change an active project only: asked for and approved while the project is active,
with a project end not before its start and a final report date not in the past (Norwegian date).
Approval checks again, since it applies the change on the day it is given."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.models import ChangeRequest, Project
from tests.factories import write_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(application_in) -> Project:
    # Period 1 January – 31 December 2026, final report due 1 February 2027.
    return application_in("approved").project


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def report_due(days: int) -> dt.date:
    """A final report date ``days`` ahead, and not before the project's end (31 December 2026)."""
    return max(in_days(days), dt.date(2027, 1, 1))


def deliver_final_report(project: Project, people: dict[str, Any], *, close: bool = False) -> Project:
    final = write_report(project.reports.get(kind="final"), people["applicant"], money_spent=400_000)
    final = services.report_submit(report=final, actor=people["applicant"])
    if close:
        services.report_approve(report=final, actor=people["staff"])
        services.project_close(project=Project.objects.get(pk=project.pk), actor=people["staff"])
    return Project.objects.get(pk=project.pk)


def state_of(project: Project) -> tuple[Any, ...]:
    """Everything a refused change request must leave as it was."""
    project = Project.objects.get(pk=project.pk)
    return (
        model_to_dict(project),
        [model_to_dict(r) for r in project.reports.order_by("pk")],
        [model_to_dict(c) for c in ChangeRequest.objects.order_by("pk")],
        AuditEvent.objects.count(),
    )


def submit(project: Project, people: dict[str, Any], **dates: Any) -> ChangeRequest:
    return services.change_request_submit(
        project=project, actor=people["applicant"], description="Lengre periode.", **dates
    )


@pytest.mark.parametrize(
    ("close", "state_label"), [(False, "Final report delivered"), (True, "Closed")], ids=["delivered", "closed"]
)
def test_no_change_request_once_the_project_is_no_longer_active(project, people, close, state_label):
    project = deliver_final_report(project, people, close=close)
    before = state_of(project)
    with pytest.raises(Refused) as refused:
        submit(project, people, new_period_end=in_days(90))
    assert refused.value.reason == f"Only an active project can be changed (this one is “{state_label}”)"
    assert state_of(project) == before


def test_the_new_project_end_cannot_be_before_the_start(project, people):
    before = state_of(project)
    with pytest.raises(Refused, match=r"^The project cannot end before it starts$"):
        submit(project, people, new_period_end=dt.date(2025, 12, 31))
    assert state_of(project) == before


def test_the_new_final_report_date_cannot_be_in_the_past(project, people):
    before = state_of(project)
    with pytest.raises(Refused, match=r"^The new due date for the final report cannot be in the past$"):
        submit(project, people, new_final_report_due=in_days(-1))
    assert state_of(project) == before


def test_today_is_a_valid_final_report_date_in_norwegian_time(project, people, settings):
    # 23:30 UTC on 31 December is already 1 January in Oslo: "today" is the Norwegian date.
    settings.TIME_ZONE = "Europe/Oslo"
    late_evening_utc = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: late_evening_utc)
        change = submit(project, people, new_final_report_due=dt.date(2027, 1, 1))
        with pytest.raises(Refused, match="cannot be in the past"):
            submit(project, people, new_final_report_due=dt.date(2026, 12, 31))
    assert (change.state, change.new_final_report_due) == ("submitted", dt.date(2027, 1, 1))


@pytest.mark.parametrize("close", [False, True], ids=["delivered", "closed"])
def test_approval_is_refused_once_the_project_is_no_longer_active(project, people, close):
    change = submit(project, people, new_period_end=in_days(90), new_final_report_due=in_days(120))
    project = deliver_final_report(project, people, close=close)
    before = state_of(project)
    with pytest.raises(Refused, match=r"^Only an active project can be changed"):
        services.change_request_approve(change_request=change, actor=people["staff"], reason="Greitt.")
    assert state_of(project) == before


def test_approval_is_refused_when_the_new_final_report_date_has_passed_meanwhile(project, people):
    change = submit(project, people, new_final_report_due=report_due(10))
    ChangeRequest.objects.filter(pk=change.pk).update(new_final_report_due=in_days(-1))  # ten days later
    before = state_of(project)
    with pytest.raises(Refused) as refused:
        services.change_request_approve(change_request=change, actor=people["staff"], reason="Greitt.")
    assert refused.value.reason == "The new due date for the final report cannot be in the past"
    assert state_of(project) == before


def test_approval_is_refused_when_the_project_would_end_before_it_starts(project, people):
    change = submit(project, people, new_period_end=in_days(90), new_final_report_due=in_days(120))
    ChangeRequest.objects.filter(pk=change.pk).update(new_period_end=dt.date(2025, 6, 30))  # written before the guard
    before = state_of(project)
    with pytest.raises(Refused) as refused:
        services.change_request_approve(change_request=change, actor=people["staff"], reason="Greitt.")
    assert refused.value.reason == "The project cannot end before it starts"
    assert state_of(project) == before


def test_a_change_the_project_has_outgrown_can_still_be_rejected(project, people):
    change = submit(project, people, new_period_end=in_days(90), new_final_report_due=in_days(120))
    deliver_final_report(project, people)
    rejected = services.change_request_reject(change_request=change, actor=people["staff"], reason="For seint.")
    assert rejected.state == "rejected"


def test_the_refusal_reaches_the_office_as_a_message(project, people):
    client = Client(headers={"Accept-Language": "en"})
    change = submit(project, people, new_final_report_due=report_due(10))
    deliver_final_report(project, people)
    client.force_login(people["staff"])
    response = client.post(
        f"/skjonn/prosjekt/{project.pk}/endring/{change.pk}/", {"decision": "approve", "reason": ""}, follow=True
    )
    assert "Only an active project can be changed (this one is “Final report delivered”)" in response.content.decode()
    change.refresh_from_db()
    assert change.state == "submitted"


@pytest.mark.parametrize(
    "dates",
    [
        {"new_period_end": dt.date(2027, 6, 30)},  # past the final report's 1 February 2027
        {"new_period_end": dt.date(2027, 6, 30), "new_final_report_due": dt.date(2027, 6, 1)},
    ],
    ids=["longer-period-alone", "report-before-new-end"],
)
def test_the_final_report_cannot_fall_due_before_the_project_ends(project, people, dates):
    before = state_of(project)
    with pytest.raises(
        Refused,
        match=r"^The final report cannot be due before the project ends \(30 June 2027\): give a new due date for it$",
    ):
        submit(project, people, **dates)
    assert state_of(project) == before


def test_a_longer_period_with_a_later_final_report_date_is_accepted(project, people):
    change = submit(project, people, new_period_end=dt.date(2027, 6, 30), new_final_report_due=dt.date(2027, 8, 1))
    assert (change.state, change.new_period_end, change.new_final_report_due) == (
        "submitted",
        dt.date(2027, 6, 30),
        dt.date(2027, 8, 1),
    )
