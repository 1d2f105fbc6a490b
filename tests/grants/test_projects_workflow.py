"""Projects and their reports, per actor: reports go draft → submitted ⇄ returned → approved →
published; the final report moves the project (delivered, back to active when returned); the office
closes a project once its final report is approved; change requests are decided by the office."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict

from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.models import ChangeRequest, Project, Report
from kommunedialog.grants.states import ReportState
from kommunedialog.grants.workflow import CHANGE_REQUEST, PROJECT, REPORT
from tests.factories import write_report
from tests.grants.conftest import ACTORS, make_actor

pytestmark = pytest.mark.django_db

REPORT_ALLOWED = {
    "submit": {"applicant_own"},
    "return": {"staff_own", "coordinator_own"},
    "approve": {"staff_own", "coordinator_own"},
    "publish": {"staff_own", "coordinator_own"},
}
REPORT_SERVICE: dict[str, Any] = {
    "submit": lambda r, a: services.report_submit(report=r, actor=a),
    "return": lambda r, a: services.report_return(report=r, actor=a, reason="Manglar tal."),
    "approve": lambda r, a: services.report_approve(report=r, actor=a),
    "publish": lambda r, a: services.report_publish(report=r, actor=a),
}


@pytest.fixture
def project(application_in) -> Project:
    return application_in("approved").project


def write(report: Report, applicant: Any) -> Report:
    return write_report(report, applicant)


def report_in(project: Project, state: str, people: dict[str, Any], kind: str = "interim") -> Report:
    report = write(project.reports.get(kind=kind), people["applicant"])
    steps = {
        "draft": [],
        "submitted": ["submit"],
        "returned": ["submit", "return"],
        "approved": ["submit", "approve"],
        "published": ["submit", "approve", "publish"],
    }[state]
    for step in steps:
        actor = people["applicant"] if step == "submit" else people["staff"]
        report = REPORT_SERVICE[step](report, actor)
    return report


def report_snapshot(report: Report) -> tuple[Any, ...]:
    report.refresh_from_db()
    project = Project.objects.get(pk=report.project_id)
    return model_to_dict(report), model_to_dict(project), AuditEvent.objects.count()


def test_the_tables_cover_every_service():
    assert set(REPORT.by_action) == set(REPORT_ALLOWED)
    assert set(PROJECT.by_action) == {"deliver_final_report", "reopen", "close"}
    assert set(CHANGE_REQUEST.by_action) == {"approve", "reject"}


@pytest.mark.parametrize(
    ("action", "source", "actor_name"),
    [(t.action, s, n) for t in REPORT.transitions for s in sorted(t.source) for n in ACTORS],
)
def test_report_transition_per_actor(project, people, action, source, actor_name):
    report = report_in(project, source, people)
    actor = make_actor(actor_name)
    if actor_name in REPORT_ALLOWED[action]:
        REPORT_SERVICE[action](report, actor)
        report.refresh_from_db()
        assert report.state == REPORT.by_action[action].target
        assert AuditEvent.objects.filter(action=f"grant_report_{action}", object_id=str(report.pk)).exists()
    else:
        before = report_snapshot(report)
        with pytest.raises(Refused):
            REPORT_SERVICE[action](report, actor)
        assert report_snapshot(report) == before


@pytest.mark.parametrize(
    ("action", "state"),
    [(t.action, s) for t in REPORT.transitions for s in ReportState.values if s not in t.source],
)
def test_no_report_action_outside_its_source_states(project, people, action, state):
    report = report_in(project, state, people)
    actor = people["applicant"] if action == "submit" else people["coordinator"]
    before = report_snapshot(report)
    with pytest.raises(Refused, match="Not possible while the state is"):
        REPORT_SERVICE[action](report, actor)
    assert report_snapshot(report) == before


def test_a_report_needs_its_required_content(project, people):
    report = project.reports.get(kind="interim")
    before = report_snapshot(report)
    with pytest.raises(Refused) as refused:
        services.report_submit(report=report, actor=people["applicant"])
    assert refused.value.reason == "Fill in: what was done, results, money spent, lessons learned"
    assert report_snapshot(report) == before


@pytest.mark.parametrize("actor_name", [n for n in ACTORS if n != "applicant_own"])
def test_only_the_lead_municipality_writes_its_report(project, actor_name):
    report = project.reports.get(kind="interim")
    actor = make_actor(actor_name)
    before = report_snapshot(report)
    with pytest.raises(PermissionDenied):
        services.report_update(
            report=report,
            actor=actor,
            expected_version=report.version,
            what_was_done="X",
            results="X",
            money_spent=1,
            lessons_learned="X",
        )
    assert report_snapshot(report) == before


def test_a_report_saved_from_an_old_version_is_a_conflict_and_both_versions_are_kept(project, people):
    report = write(project.reports.get(kind="interim"), people["applicant"])
    colleague = make_actor("applicant_own")
    with pytest.raises(EditConflict) as conflict:
        services.report_update(
            report=report,
            actor=colleague,
            expected_version=1,
            what_was_done="Ein annan tekst.",
            results="Kortare ventetid.",
            money_spent=report.money_spent,
            lessons_learned="Start tidleg.",
        )
    assert [(r["field"], r["saved"], r["submitted"]) for r in conflict.value.rows] == [
        ("what_was_done", "Vi har prøvd ut løysinga.", "Ein annan tekst.")
    ]
    report.refresh_from_db()
    assert (report.what_was_done, report.version) == ("Vi har prøvd ut løysinga.", 2)


def test_the_final_report_moves_the_project_and_the_office_closes_it(project, people):
    final = report_in(project, "submitted", people, kind="final")
    project.refresh_from_db()
    assert project.state == "final_report_delivered"
    with pytest.raises(Refused, match="The final report must be approved first"):
        services.project_close(project=project, actor=people["staff"])
    final = services.report_return(report=final, actor=people["staff"], reason="Manglar rekneskap.")
    project.refresh_from_db()
    assert project.state == "active"
    final = services.report_submit(report=final, actor=people["applicant"])
    services.report_approve(report=final, actor=people["staff"])
    project = services.project_close(project=Project.objects.get(pk=project.pk), actor=people["staff"])
    assert project.state == "closed"
    assert project.closed_at is not None


@pytest.mark.parametrize("actor_name", list(ACTORS))
def test_closing_a_project_per_actor(project, people, actor_name):
    report_in(project, "approved", people, kind="final")
    project.refresh_from_db()
    actor = make_actor(actor_name)
    if actor_name in {"staff_own", "coordinator_own"}:
        assert services.project_close(project=project, actor=actor).state == "closed"
    else:
        before = model_to_dict(project), AuditEvent.objects.count()
        with pytest.raises(Refused):
            services.project_close(project=project, actor=actor)
        project.refresh_from_db()
        assert (model_to_dict(project), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("actor_name", list(ACTORS))
def test_change_request_submitted_by_the_lead_only(project, actor_name):
    actor = make_actor(actor_name)
    if actor_name == "applicant_own":
        change = services.change_request_submit(
            project=project,
            actor=actor,
            description="Lengre periode.",
            new_period_end=dt.date(2027, 6, 30),
            new_final_report_due=dt.date(2027, 9, 1),
        )
        assert change.state == "submitted"
    else:
        with pytest.raises(PermissionDenied):
            services.change_request_submit(project=project, actor=actor, description="Lengre periode.")
        assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(("action", "actor_name"), [(a, n) for a in ("approve", "reject") for n in ACTORS])
def test_change_request_decided_by_the_office(project, people, action, actor_name):
    change = services.change_request_submit(
        project=project,
        actor=people["applicant"],
        description="Lengre periode.",
        new_period_end=dt.date(2027, 6, 30),
        new_final_report_due=dt.date(2027, 9, 1),
    )
    actor = make_actor(actor_name)
    decide = services.change_request_approve if action == "approve" else services.change_request_reject
    if actor_name in {"staff_own", "coordinator_own"}:
        decide(change_request=change, actor=actor, reason="Grunngjeve.")
        change.refresh_from_db()
        project.refresh_from_db()
        final = project.reports.get(kind="final")
        if action == "approve":
            assert (change.state, project.period_end, final.due_on) == (
                "approved",
                dt.date(2027, 6, 30),
                dt.date(2027, 9, 1),
            )
        else:
            assert (change.state, project.period_end, final.due_on) == (
                "rejected",
                dt.date(2026, 12, 31),
                dt.date(2027, 2, 1),
            )
    else:
        before = model_to_dict(change), model_to_dict(project), AuditEvent.objects.count()
        with pytest.raises(Refused):
            decide(change_request=change, actor=actor, reason="Grunngjeve.")
        change.refresh_from_db()
        project.refresh_from_db()
        assert (model_to_dict(change), model_to_dict(project), AuditEvent.objects.count()) == before
