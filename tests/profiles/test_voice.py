"""The municipality's voice beside its published kommunebilde: written by its own users only, shown on
the public pages (through the page cache) and the staff page as the municipality's words, with edit
conflicts that lose nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kommunedialog.core.models import AuditEvent
from kommunedialog.profiles import services
from kommunedialog.profiles.models import Assessment, MunicipalityVoice, Profile, PublishedProfile
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Office
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot() -> PublishedProfile:
    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name="Ord 2026", year=2026
    )
    profile = cycle.profiles.get(municipality__number="1133")
    Assessment.objects.filter(profile=profile).update(rating="good", justification="Test.")
    Profile.objects.filter(pk=profile.pk).update(state=State.MEETING_HELD, meeting_held_on=dt.date(2026, 3, 1))
    services.profile_publish(profile=profile, actor=coordinator)
    return PublishedProfile.objects.get(profile=profile)


def url(snapshot: PublishedProfile) -> str:
    return f"/kommunebilde/var-kommune/ord/{snapshot.pk}/"


def test_the_municipality_adds_its_words_and_the_public_page_shows_them(client, snapshot):
    client.force_login(UserFactory(role="municipality_user", municipality="1133"))
    public = client.get("/kommuner/1133/").content.decode()  # rendered and cached before the words exist
    assert "Flere fastleger innen 2027" not in public
    form = client.get(url(snapshot))
    assert form.status_code == 200
    chapters = [d["title"] for d in snapshot.content["domains"]]
    assert form.content.decode().count('name="goal_') == len(chapters)
    response = client.post(
        url(snapshot), {"version": "1", "goal_0": "Flere fastleger innen 2027.", "comment": "Vi er enige i bildet."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/kommuner/1133/kommunebilde/{snapshot.pk}/"
    voice = MunicipalityVoice.objects.get(snapshot=snapshot)
    assert (voice.version, voice.comment, voice.goals[0]) == (
        2,
        "Vi er enige i bildet.",
        {"title": chapters[0], "goal": "Flere fastleger innen 2027."},
    )
    assert [g["goal"] for g in voice.goals[1:]] == [""] * (len(chapters) - 1)
    assert AuditEvent.objects.filter(action="municipality_voice_save").count() == 1
    for page in ("/kommuner/1133/", f"/kommuner/1133/kommunebilde/{snapshot.pk}/"):
        html = client.get(page).content.decode()
        assert "Flere fastleger innen 2027." in html
        assert "Vi er enige i bildet." in html
        assert 'class="ds-card stack municipality-voice"' in html
    # The snapshot itself is as it was published.
    assert "Flere fastleger" not in str(PublishedProfile.objects.get(pk=snapshot.pk).content)


def test_staff_see_the_words_on_their_page(client, snapshot):
    client.force_login(UserFactory(role="municipality_user", municipality="1133"))
    client.post(url(snapshot), {"version": "1", "comment": "Vår kommentar."})
    client.force_login(UserFactory(role="staff", office="rogaland"))
    html = client.get(f"/kommunebilde/profil/{snapshot.profile_id}/").content.decode()
    assert "Vår kommentar." in html


def test_a_save_from_an_old_version_keeps_both(client, snapshot):
    client.force_login(UserFactory(role="municipality_user", municipality="1133"))
    client.post(url(snapshot), {"version": "1", "comment": "Først."})
    late = client.post(url(snapshot), {"version": "1", "comment": "Senere, fra gammel side."})
    assert late.status_code == 409
    html = late.content.decode()
    assert "Først." in html
    assert "Senere, fra gammel side." in html
    assert MunicipalityVoice.objects.get().comment == "Først."
    assert AuditEvent.objects.filter(action="municipality_voice_save").count() == 1


@pytest.mark.parametrize(
    "role",
    [
        {"role": "municipality_user", "municipality": "1134"},
        {"role": "staff", "office": "rogaland"},
        {"role": "coordinator", "office": "rogaland"},
        {"role": "ministry"},
        {"role": "admin"},
    ],
)
def test_only_the_municipalitys_own_users_write(client, snapshot, role):
    client.force_login(UserFactory(**role))
    events = AuditEvent.objects.count()
    assert client.get(url(snapshot)).status_code == 404
    assert client.post(url(snapshot), {"version": "1", "comment": "Ikke våre ord."}).status_code == 404
    assert not MunicipalityVoice.objects.exists()
    assert AuditEvent.objects.count() == events
