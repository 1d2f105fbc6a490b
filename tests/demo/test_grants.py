"""The demo: Rogaland's 2025 call with a NOK 10 million frame, applications in every state, two projects
with published reports, every text marked as a demonstration; a second run changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from kommunedialog.core.models import AuditEvent
from kommunedialog.demo.grants import load_demo_grants
from kommunedialog.grants import public
from kommunedialog.grants.models import Application, Call, Report
from kommunedialog.grants.states import ApplicationState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_holds_every_state_and_is_safe_to_run_twice():
    people = {
        "coordinator": UserFactory(role="coordinator", office="rogaland"),
        "staff": UserFactory(role="staff", office="rogaland"),
        "applicants": {
            "1133": UserFactory(role="municipality_user", municipality="1133"),
            "1134": UserFactory(role="municipality_user", municipality="1134"),
        },
    }
    call = load_demo_grants(**people)
    assert (call.office.code, call.year, call.frame, call.state) == ("rogaland", 2025, 10_000_000, "closed")
    assert set(call.applications.values_list("state", flat=True)) == set(ApplicationState.values)
    assert all(a.title.startswith("Demonstrasjon: ") for a in call.applications.all())
    grants = public.grants()
    assert len(grants) == 2
    assert all(g.summary.startswith("Demonstrasjonstekst") for g in grants)
    assert all(Report.objects.filter(project_id=g.project_id, state="published").exists() for g in grants)
    assert sum(g.amount_awarded for g in grants) == call.approved_total == 2_600_000
    project_page = Client().get(f"/prosjektskjonn/prosjekt/{grants[0].project_id}/")
    assert project_page.status_code == 200
    assert (grants[0].title in project_page.content.decode(), grants[0].summary in project_page.content.decode()) == (
        True,
        True,
    )
    counts = (Call.objects.count(), Application.objects.count(), AuditEvent.objects.count())
    assert load_demo_grants(**people).pk == call.pk
    assert (Call.objects.count(), Application.objects.count(), AuditEvent.objects.count()) == counts
