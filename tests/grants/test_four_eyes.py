"""Four eyes (issue 15): whoever assessed an application (scored it, or sent the recommendation on) does
not decide it, and whoever declared a conflict of interest takes no further step in it. Both are guards
in the application's table, so the decision page shows the reason and the service refuses the same way;
every refusal leaves everything as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.workflow import APPLICATION
from tests.factories import UserFactory, close_call
from tests.grants.conftest import snapshot

pytestmark = pytest.mark.django_db


def english_client(user: Any) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


FOUR_EYES = r"^You assessed this application, so someone else must decide it \(four eyes\)$"
CONFLICT = r"^You have declared a conflict of interest in this application$"


def assess(application, reviewer):
    services.review_declare(application=application, actor=reviewer, conflict=False)
    services.review_score(
        application=application,
        actor=reviewer,
        scores={c.pk: (4, "") for c in application.call.criteria.all()},
        recommendation="approve",
        recommended_amount=None,
        text="Tilrådd.",
    )


def approve(application, actor):
    return services.application_approve(
        application=application, actor=actor, amount=100_000, reasons="Godt.", final_report_due=dt.date(2027, 2, 1)
    )


def assert_cannot_decide(application, actor, reason):
    before = snapshot(application)
    with pytest.raises(Refused, match=reason):
        approve(application, actor)
    with pytest.raises(Refused, match=reason):
        services.application_reject(application=application, actor=actor, reasons="Nei.")
    assert snapshot(application) == before


def test_a_coordinator_who_scored_the_application_cannot_decide_it(application_in, people):
    application = application_in("under_assessment")
    assess(application, people["coordinator"])
    services.application_recommend(application=application, actor=people["staff"])
    close_call(application.call)
    assert_cannot_decide(application, people["coordinator"], FOUR_EYES)
    other = UserFactory(role="coordinator", office="rogaland")
    decision = approve(application, other)
    assert (decision.outcome, decision.decided_by) == ("approved", other)


def test_a_coordinator_who_sent_the_recommendation_on_cannot_decide_it(application_in, people):
    application = application_in("under_assessment")
    assess(application, people["staff"])
    services.application_recommend(application=application, actor=people["coordinator"])
    close_call(application.call)
    assert_cannot_decide(application, people["coordinator"], FOUR_EYES)


def test_declaring_no_conflict_without_scoring_is_not_assessing(application_in, people):
    application = application_in("under_assessment")
    services.review_declare(application=application, actor=people["coordinator"], conflict=False)
    assess(application, people["staff"])
    services.application_recommend(application=application, actor=people["staff"])
    close_call(application.call)
    assert approve(application, people["coordinator"]).outcome == "approved"


def test_the_decision_page_says_why_the_assessor_cannot_decide(application_in, people):
    application = application_in("under_assessment")
    assess(application, people["coordinator"])
    services.application_recommend(application=application, actor=people["staff"])
    close_call(application.call)
    application.refresh_from_db()
    steps = {s.action: s.reason for s in APPLICATION.allowed(application, people["coordinator"])}
    assert steps == {
        "reopen_assessment": None,
        "approve": "You assessed this application, so someone else must decide it (four eyes)",
        "reject": "You assessed this application, so someone else must decide it (four eyes)",
    }
    client = english_client(people["coordinator"])
    before = snapshot(application)
    page = client.get(reverse("grants:application_decide", args=[application.pk]))
    assert page.status_code == 200
    assert "someone else must decide it (four eyes)" in page.content.decode()
    assert "Make the decision" not in page.content.decode()
    posted = client.post(
        reverse("grants:application_decide", args=[application.pk]),
        {"outcome": "reject", "reasons": "Nei."},
    )
    assert posted.status_code in {400, 409}
    assert snapshot(application) == before


def test_a_conflicted_reviewer_neither_asks_for_information_nor_reopens(application_in, people):
    application = application_in("under_assessment")
    services.review_declare(application=application, actor=people["staff"], conflict=True, note="Svoger.")
    before = snapshot(application)
    with pytest.raises(Refused, match=CONFLICT):
        services.application_request_information(application=application, actor=people["staff"], question="Kven?")
    assert snapshot(application) == before

    conflicted = UserFactory(role="coordinator", office="rogaland")
    services.review_declare(application=application, actor=conflicted, conflict=True, note="Bror.")
    assess(application, people["coordinator"])
    services.application_recommend(application=application, actor=UserFactory(role="staff", office="rogaland"))
    before = snapshot(application)
    with pytest.raises(Refused, match=CONFLICT):
        services.application_reopen_assessment(application=application, actor=conflicted)
    assert snapshot(application) == before
