"""Every form of the kommunebilde, posted invalid or stale, plain and under htmx: the answer is 400 (or
409 for a stale save) and carries back what the person typed, with the reason; nothing is saved. An edit
conflict shows the saved version and the person's side by side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kommunedialog.core.models import AuditEvent
from kommunedialog.profiles.models import Assessment, ConsultationResponse, Profile
from kommunedialog.profiles.states import State
from tests.profiles.test_views import client_for
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db

TYPED = "Mitt utkast som ikkje må gå tapt"
HEADERS = {"plain": {}, "htmx": {"HTTP_HX_REQUEST": "true"}}


@pytest.fixture
def scenario():
    return make_scenario()


def _assessment_invalid(s: Any) -> tuple[str, dict[str, str], str]:
    a = s["assessment"]
    p = f"a{a.pk}-"
    url = f"/kommunebilde/profil/{a.profile_id}/vurdering/{a.pk}/"
    return url, {f"{p}rating": "good", f"{p}departure_reason": TYPED, f"{p}version": str(a.version)}, "staff"


def _meeting_in_future(s: Any) -> tuple[str, dict[str, str], str]:
    profile = s["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.CONSULTATION_CLOSED)
    future = timezone.localdate() + dt.timedelta(days=3)
    return (
        f"/kommunebilde/profil/{profile.pk}/handling/record_meeting/",
        {"held_on": f"{future:%d.%m.%Y}", "notes": TYPED, "action_1": TYPED},
        "coordinator",
    )


def _deadline_missing(s: Any) -> tuple[str, dict[str, str], str]:
    profile = s["draft_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.REVIEW, overall_picture="Bilde.")
    Assessment.objects.filter(profile=profile).update(rating="not_assessed")
    return f"/kommunebilde/profil/{profile.pk}/handling/send_on_consultation/", {"deadline": TYPED}, "coordinator"


def _response_without_kind(s: Any) -> tuple[str, dict[str, str], str]:
    profile = s["consultation_profile"]
    return f"/kommunebilde/horing/{profile.pk}/", {"text": TYPED, "assessment": ""}, "municipality"


def _follow_up_without_date(s: Any) -> tuple[str, dict[str, str], str]:
    profile = s["consultation_profile"]
    Profile.objects.filter(pk=profile.pk).update(state=State.MEETING_HELD, meeting_held_on=timezone.localdate())
    return f"/kommunebilde/profil/{profile.pk}/oppfolging/", {"description": TYPED, "owner_party": "office"}, "staff"


PEOPLE = {
    "staff": {"role": "staff", "office": "rogaland"},
    "coordinator": {"role": "coordinator", "office": "rogaland"},
    "municipality": {"role": "municipality_user", "municipality": "1133"},
}
INVALID: dict[str, Callable[[Any], tuple[str, dict[str, str], str]]] = {
    "assessment": _assessment_invalid,
    "meeting": _meeting_in_future,
    "deadline": _deadline_missing,
    "response": _response_without_kind,
    "follow_up": _follow_up_without_date,
}


@pytest.mark.parametrize("how", HEADERS)
@pytest.mark.parametrize("form", INVALID)
def test_an_invalid_form_comes_back_with_what_was_typed(scenario, form, how):
    url, data, who = INVALID[form](scenario)
    client = client_for(**PEOPLE[who])
    events = AuditEvent.objects.count()
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en", **HEADERS[how])
    assert response.status_code == 400
    assert TYPED in response.content.decode()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("how", HEADERS)
def test_a_decision_without_reason_keeps_the_choice_and_saves_nothing(scenario, how):
    r = scenario["consultation_response"]
    response = client_for(**PEOPLE["coordinator"]).post(
        f"/kommunebilde/profil/{r.profile_id}/svar/{r.pk}/",
        {"decision": "not_changed", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
        **HEADERS[how],
    )
    assert response.status_code == 400
    assert f'id="r{r.pk}_decision_1" checked' in response.content.decode()
    assert ConsultationResponse.objects.get(pk=r.pk).decision == ""


@pytest.mark.parametrize("how", HEADERS)
def test_a_stale_assessment_shows_both_versions_side_by_side(scenario, how):
    a = scenario["assessment"]
    Assessment.objects.filter(pk=a.pk).update(rating="good", justification="Lagra av ein annan.", version=a.version + 1)
    p = f"a{a.pk}-"
    response = client_for(**PEOPLE["staff"]).post(
        f"/kommunebilde/profil/{a.profile_id}/vurdering/{a.pk}/",
        {f"{p}rating": "vulnerable", f"{p}justification": TYPED, f"{p}version": str(a.version)},
        HTTP_ACCEPT_LANGUAGE="en",
        **HEADERS[how],
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Saved version" in html
    assert "Your version" in html
    assert "Lagra av ein annan." in html
    assert html.count(TYPED) >= 2  # in the table and kept in the form
    assert Assessment.objects.get(pk=a.pk).justification == "Lagra av ein annan."


@pytest.mark.parametrize("how", HEADERS)
def test_a_stale_overall_picture_shows_both_versions(scenario, how):
    profile = scenario["draft_profile"]
    Profile.objects.filter(pk=profile.pk).update(overall_picture="Lagra av ein annan.", version=profile.version + 1)
    response = client_for(**PEOPLE["staff"]).post(
        f"/kommunebilde/profil/{profile.pk}/",
        {"overall_picture": TYPED, "dialogue_topics": "", "version": str(profile.version)},
        HTTP_ACCEPT_LANGUAGE="en",
        **HEADERS[how],
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Lagra av ein annan." in html
    assert html.count(TYPED) >= 2
    assert Profile.objects.get(pk=profile.pk).overall_picture == "Lagra av ein annan."
