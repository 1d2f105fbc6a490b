"""Two coordinators approve at the same moment, in two real transactions on two database connections:
the sum of approvals in the call never exceeds its frame.

On PostgreSQL the second approval waits for the call's row lock and then sees the first one's sum;
on SQLite, which has no row locks, the guarded increment on the call row serialises the writers and
the loser fails (SQLite reports the lock as an error rather than waiting)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from kommunedialog.grants import services
from kommunedialog.grants.models import Call, Decision, Project
from kommunedialog.grants.services import FrameExceeded
from kommunedialog.grants.workflow import Workflow
from tests.factories import CallFactory, UserFactory, advance, close_call, complete_application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_recommended(settings, load_register_for_transactional_tests) -> tuple[Any, ...]:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call = CallFactory(frame=1_000_000, min_amount=100_000)
    people = {
        "applicant": UserFactory(role="municipality_user", municipality="1133"),
        "staff": UserFactory(role="staff", office="rogaland"),
        "coordinator": UserFactory(role="coordinator", office="rogaland"),
    }
    costs = (("Prosjekt", 750_000),)
    first = complete_application(
        call, applicant=people["applicant"], costs=costs, own_share=150_000, amount_applied=600_000
    )
    second = complete_application(
        call, applicant=people["applicant"], costs=costs, own_share=150_000, amount_applied=600_000
    )
    first, second = (advance(a, "recommended", **people) for a in (first, second))
    close_call(call)
    return call, first, second, people["coordinator"], UserFactory(role="coordinator", office="rogaland")


@pytest.fixture
def load_register_for_transactional_tests(django_db_blocker):  # type: ignore[no-untyped-def]
    # transaction=True tests start from an empty database; the register is loaded again for them.
    from tests.conftest import load_register

    load_register()


def test_concurrent_approvals_never_exceed_the_frame(two_recommended, monkeypatch):
    call, first, second, coordinator_a, coordinator_b = two_recommended
    real_check = Workflow.check
    barrier = threading.Barrier(2)

    def slow_check(self: Workflow, obj: Any, action: str, actor: Any, data: Any = None) -> Any:
        # Both approvals have started their transactions before either checks the frame; a slow
        # check widens the window in which a missing lock would let both through.
        result = real_check(self, obj, action, actor, data or {})
        if action == "approve":
            time.sleep(0.3)
        return result

    monkeypatch.setattr(Workflow, "check", slow_check)
    outcomes: dict[str, Any] = {}

    def approve(name: str, application: Any, actor: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.application_approve(
                application=application,
                actor=actor,
                amount=600_000,
                reasons="Godt prosjekt.",
                final_report_due=dt.date(2027, 2, 1),
            )
            outcomes[name] = "approved"
        except FrameExceeded:
            outcomes[name] = "frame exceeded"
        except OperationalError as error:  # SQLite: the other writer holds the database lock
            outcomes[name] = f"locked: {error}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=("a", first, coordinator_a)),
        threading.Thread(target=approve, args=("b", second, coordinator_b)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    call = Call.objects.get(pk=call.pk)
    approved = list(
        Decision.objects.filter(application__call=call, outcome="approved").values_list("amount", flat=True)
    )
    assert sorted(outcomes.values())[0] == "approved", outcomes
    assert list(outcomes.values()).count("approved") == 1, outcomes
    assert approved == [600_000]
    assert call.approved_total == 600_000 <= call.frame
    assert Project.objects.filter(application__call=call).count() == 1
    if connection.vendor == "postgresql":
        # PostgreSQL waits for the lock instead of failing: the loser saw the winner's sum.
        assert sorted(outcomes.values()) == ["approved", "frame exceeded"], outcomes


def test_approvals_one_after_the_other_stop_at_the_frame(two_recommended):
    call, first, second, coordinator, _other = two_recommended
    services.application_approve(
        application=first, actor=coordinator, amount=600_000, reasons="Godt.", final_report_due=dt.date(2027, 2, 1)
    )
    with pytest.raises(FrameExceeded) as refused:
        services.application_approve(
            application=second, actor=coordinator, amount=600_000, reasons="Godt.", final_report_due=dt.date(2027, 2, 1)
        )
    assert refused.value.reason == (
        "Approving NOK 600,000 would bring the call's approvals to NOK 1,200,000, above its frame of NOK 1,000,000"
    )
    second.refresh_from_db()
    assert second.state == "recommended"
    # A lower amount that fits is allowed.
    services.application_approve(
        application=second, actor=coordinator, amount=400_000, reasons="Lågare.", final_report_due=dt.date(2027, 2, 1)
    )
    assert Call.objects.get(pk=call.pk).approved_total == 1_000_000
