"""Every transition of the application table, for every actor: the allowed party moves the application
to the target state and the move is audited; everyone else is refused and nothing changes. Then every
action from every state outside its source is refused as well."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.models import Application, Decision, MessageKind, Project
from kommunedialog.grants.states import ApplicationState
from kommunedialog.grants.workflow import APPLICATION
from tests.factories import close_call
from tests.grants.conftest import ACTORS, make_actor, snapshot

pytestmark = pytest.mark.django_db

ALLOWED = {
    "submit": {"applicant_own"},
    "withdraw": {"applicant_own"},
    "return_for_correction": {"staff_own", "coordinator_own"},
    "resubmit": {"applicant_own"},
    "start_assessment": {"staff_own", "coordinator_own"},
    "request_information": {"staff_own", "coordinator_own"},
    "answer_information": {"applicant_own"},
    "recommend": {"staff_own", "coordinator_own"},
    "reopen_assessment": {"coordinator_own"},
    "approve": {"coordinator_own"},
    "reject": {"coordinator_own"},
}

SERVICE: dict[str, Callable[[Application, Any], Any]] = {
    "submit": lambda a, actor: services.application_submit(application=a, actor=actor),
    "withdraw": lambda a, actor: services.application_withdraw(application=a, actor=actor),
    "return_for_correction": lambda a, actor: services.application_return_for_correction(
        application=a, actor=actor, reason="Budsjettet manglar."
    ),
    "resubmit": lambda a, actor: services.application_resubmit(application=a, actor=actor),
    "start_assessment": lambda a, actor: services.application_start_assessment(application=a, actor=actor),
    "request_information": lambda a, actor: services.application_request_information(
        application=a, actor=actor, question="Kven deltek?"
    ),
    "answer_information": lambda a, actor: services.application_answer_information(
        application=a, actor=actor, answer="Alle tre kommunane."
    ),
    "recommend": lambda a, actor: services.application_recommend(application=a, actor=actor),
    "reopen_assessment": lambda a, actor: services.application_reopen_assessment(application=a, actor=actor),
    "approve": lambda a, actor: services.application_approve(
        application=a, actor=actor, amount=300_000, reasons="Godt.", final_report_due=dt.date(2027, 2, 1)
    ),
    "reject": lambda a, actor: services.application_reject(application=a, actor=actor, reasons="Ikkje prioritert."),
}


def test_the_table_covers_every_service():
    assert set(APPLICATION.by_action) == set(ALLOWED) == set(SERVICE)


def prepared(
    application_in: Callable[..., Application], source: str, action: str, people: dict[str, Any]
) -> Application:
    """An application in ``source`` with the guards of ``action`` satisfied, so only state and party decide."""
    if action == "recommend":
        application = application_in("under_assessment")
        services.review_declare(application=application, actor=people["staff"], conflict=False)
        services.review_score(
            application=application,
            actor=people["staff"],
            scores={c.pk: (4, "") for c in application.call.criteria.all()},
            recommendation="approve",
            recommended_amount=None,
            text="Tilrådd.",
        )
        return application
    application = application_in(source)
    if action in {"approve", "reject"}:
        close_call(application.call)
    return application


CASES = [(t.action, source, actor) for t in APPLICATION.transitions for source in sorted(t.source) for actor in ACTORS]


@pytest.mark.parametrize(("action", "source", "actor_name"), CASES)
def test_transition_per_actor(application_in, people, action, source, actor_name):
    application = prepared(application_in, source, action, people)
    actor = make_actor(actor_name)
    if actor_name in ALLOWED[action]:
        SERVICE[action](application, actor)
        application.refresh_from_db()
        assert application.state == APPLICATION.by_action[action].target
        event = AuditEvent.objects.filter(action=f"grant_application_{action}").latest("pk")
        assert (event.object_id, event.before["state"], event.after["state"]) == (
            str(application.pk),
            source,
            APPLICATION.by_action[action].target,
        )
    else:
        before = snapshot(application)
        with pytest.raises((Refused, PermissionDenied)):
            SERVICE[action](application, actor)
        assert snapshot(application) == before


OTHER_STATES = [
    (t.action, state) for t in APPLICATION.transitions for state in ApplicationState.values if state not in t.source
]


@pytest.mark.parametrize(("action", "state"), OTHER_STATES)
def test_no_action_outside_its_source_states(application_in, people, action, state):
    application = application_in(state)
    if action in {"approve", "reject"} and application.call.state == "published":
        close_call(application.call)
    actor = people["applicant"] if "applicant_own" in ALLOWED[action] else people["coordinator"]
    before = snapshot(application)
    with pytest.raises(Refused, match="Not possible while the state is"):
        SERVICE[action](application, actor)
    assert snapshot(application) == before


def test_submission_locks_the_application_for_the_municipality(application_in, people):
    application = application_in("submitted")
    before = snapshot(application)
    with pytest.raises(Refused):
        services.application_update(
            application=application,
            actor=people["applicant"],
            expected_version=application.version,
            changes={"title": "X"},
        )
    assert snapshot(application) == before


def test_an_incomplete_draft_cannot_be_submitted_and_the_reasons_are_given(call, people):
    from kommunedialog.registry.models import Municipality

    draft = services.application_start(
        call=call, actor=people["applicant"], municipality=Municipality.objects.current().get(number="1133")
    )
    before = snapshot(draft)
    with pytest.raises(Refused) as refused:
        services.application_submit(application=draft, actor=people["applicant"])
    assert refused.value.reason.startswith("Fill in: project title, summary, theme, challenges, goals, instruments")
    assert "Add at least one cost line with an amount" in refused.value.reason
    assert "The chief executive must confirm this version of the application" in refused.value.reason
    assert snapshot(draft) == before


def test_no_submission_after_the_deadline(application_in, people):
    application = application_in("draft")
    close_call(application.call)
    before = snapshot(application)
    with pytest.raises(Refused, match="The call is not open for applications"):
        services.application_submit(application=application, actor=people["applicant"])
    assert snapshot(application) == before


def test_a_returned_application_can_be_corrected_and_sent_again_after_the_deadline(application_in, people):
    application = application_in("returned")
    close_call(application.call)
    application = services.application_update(
        application=application,
        actor=people["applicant"],
        expected_version=application.version,
        changes={"goals": "Betre mål."},
    )
    # Any change asks for the chief executive's confirmation again.
    with pytest.raises(Refused, match="The chief executive must confirm"):
        services.application_resubmit(application=application, actor=people["applicant"])
    application = services.application_confirm(
        application=application,
        actor=people["applicant"],
        expected_version=application.version,
        chief_executive_name="K. Direktør",
    )
    application = services.application_resubmit(application=application, actor=people["applicant"])
    assert application.state == ApplicationState.SUBMITTED
    kinds = list(application.messages.values_list("kind", "text"))
    assert kinds == [(MessageKind.RETURN_FOR_CORRECTION, "Rett budsjettet.")]


def test_approval_creates_the_project_and_its_reports(application_in, people):
    application = application_in("recommended")
    close_call(application.call)
    decision = services.application_approve(
        application=application,
        actor=people["coordinator"],
        amount=250_000,
        reasons="Godt prosjekt, men lågare sum.",
        conditions="Rapporter på bruken.",
        interim_report_due=dt.date(2026, 6, 1),
        final_report_due=dt.date(2027, 2, 1),
    )
    project = Project.objects.get(application=application)
    assert (decision.outcome, decision.amount, decision.language) == ("approved", 250_000, "nn")  # Hjelmeland: nynorsk
    assert (project.state, project.amount_awarded, project.period_start, project.period_end) == (
        "active",
        250_000,
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert sorted(project.reports.values_list("kind", "due_on", "state")) == [
        ("final", dt.date(2027, 2, 1), "draft"),
        ("interim", dt.date(2026, 6, 1), "draft"),
    ]
    call = application.call
    call.refresh_from_db()
    assert call.approved_total == 250_000


def test_approval_above_the_amount_applied_for_is_refused(application_in, people):
    application = application_in("recommended")
    close_call(application.call)
    before = snapshot(application)
    with pytest.raises(Refused, match="at most the amount applied for"):
        services.application_approve(
            application=application,
            actor=people["coordinator"],
            amount=application.amount_applied + 1,
            reasons="For mykje.",
            final_report_due=dt.date(2027, 2, 1),
        )
    assert snapshot(application) == before


def test_rejection_records_the_reasons_and_makes_no_project(application_in, people):
    application = application_in("rejected")
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.amount, decision.reasons) == ("rejected", 0, "Ikkje prioritert.")
    assert not Project.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("changes", "still_published"),
    [
        ({"summary": "Nytt samandrag med namn."}, False),
        ({"title": "Ny tittel"}, False),
        ({"goals": "Betre mål."}, True),
    ],
)
def test_a_changed_title_or_summary_waits_for_a_new_publication_check(application_in, people, changes, still_published):
    """The office checked other words than these: a correction must not go online unchecked."""
    application = application_in("submitted")
    services.application_set_publication(application=application, actor=people["staff"], publish=True)
    services.application_return_for_correction(application=application, actor=people["staff"], reason="Retta.")
    application.refresh_from_db()
    services.application_update(
        application=application, actor=people["applicant"], expected_version=application.version, changes=changes
    )
    application.refresh_from_db()
    assert application.publish is still_published
    event = AuditEvent.objects.filter(action="grant_application_update").latest("pk")
    assert ("publish" in event.after) is (not still_published)
