"""The public calls at /prosjektskjonn/utlysninger/: open calls with their deadline and earlier ones, a
page per call in the reader's language (bokmål or nynorsk), and never a draft — not listed, and its
page is 404 for everyone, logged in or not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kommunedialog.grants import public
from kommunedialog.grants.models import Call, Theme
from tests.factories import CallFactory
from tests.grants.conftest import ACTORS, make_actor

pytestmark = pytest.mark.django_db


def client(language: str = "en") -> Client:
    return Client(headers={"Accept-Language": language})


@pytest.fixture
def calls(db) -> dict[str, Call]:
    today = timezone.localdate()
    return {
        "open": CallFactory(
            title_nb="Fornying 2026",
            title_nn="Fornying 2026 (nynorsk)",
            description_nb="Søk om midler til fornying.",
            description_nn="Søk om midlar til fornying.",
            deadline=today + dt.timedelta(days=30),
            themes=["digitalisation", "cooperation"],
            criteria=[("Nytte for innbyggjarane", 70), ("Gjennomføring", 30)],
        ),
        "open_soon_closing": CallFactory(office="vestland", title_nb="Vestland 2026", deadline=today),
        "past_deadline": CallFactory(title_nb="Fristen gått", deadline=today - dt.timedelta(days=1)),
        "closed": CallFactory(year=2025, title_nb="Stengt 2025", state="closed", deadline=dt.date(2025, 3, 1)),
        "allocated": CallFactory(year=2024, title_nb="Fordelt 2024", state="allocated", deadline=dt.date(2024, 3, 1)),
        "archived": CallFactory(year=2023, title_nb="Arkivert 2023", state="archived", deadline=dt.date(2023, 3, 1)),
        "draft": CallFactory(title_nb="Hemmeleg utkast", title_nn="Hemmeleg utkast", state="draft"),
    }


def test_open_calls_by_deadline_and_earlier_calls_newest_first_never_drafts(calls):
    open_now, earlier = public.calls()
    assert [c.title_nb for c in open_now] == ["Vestland 2026", "Fornying 2026"]
    assert [c.title_nb for c in earlier] == ["Fristen gått", "Stengt 2025", "Fordelt 2024", "Arkivert 2023"]
    assert [c.state_label for c in earlier] == [
        "Closed for applications",  # published, but the deadline task has not run yet
        "Closed for applications",
        "Allocated",
        "Archived",
    ]
    assert public.call(calls["draft"].pk) is None


def test_the_list_page_shows_both_sections_and_no_draft(calls):
    page = client().get("/prosjektskjonn/utlysninger/").content.decode()
    opened, earlier = page.split('id="earlier-calls-heading"')
    assert f'href="/prosjektskjonn/utlysning/{calls["open"].pk}/"' in opened
    assert "Fornying 2026" in opened
    assert "Stengt 2025" not in opened
    assert "Stengt 2025" in earlier
    assert "Hemmeleg utkast" not in page
    assert f"/prosjektskjonn/utlysning/{calls['draft'].pk}/" not in page


def test_the_call_page_shows_what_an_applicant_needs(calls):
    page = client().get(f"/prosjektskjonn/utlysning/{calls['open'].pk}/").content.decode()
    deadline = calls["open"].deadline
    for expected in (
        '<h1 class="ds-heading" data-size="lg" lang="nb">Fornying 2026</h1>',
        "Søk om midler til fornying.",
        "Statsforvalteren i Rogaland",
        "NOK 10,000,000",
        f"{Theme.DIGITALISATION.label}, {Theme.COOPERATION.label}",
        '<th scope="row" lang="nb">Nytte for innbyggjarane</th><td class="amount">70</td>',
        '<th scope="row" lang="nb">Gjennomføring</th><td class="amount">30</td>',
        "at least 20 % of the total cost",
        "at least NOK 100,000",
        f"{deadline.day} {deadline.strftime('%B')} {deadline.year}",
        'href="/skjonn/">Log in and apply</a>',
    ):
        assert expected in page, expected


def test_a_nynorsk_reader_gets_the_nynorsk_texts(calls):
    page = client("nn").get(f"/prosjektskjonn/utlysning/{calls['open'].pk}/").content.decode()
    assert '<h1 class="ds-heading" data-size="lg" lang="nn">Fornying 2026 (nynorsk)</h1>' in page
    assert "Søk om midlar til fornying." in page
    assert "Søk om midler til fornying." not in page


def test_an_earlier_call_has_no_link_to_apply(calls):
    page = client().get(f"/prosjektskjonn/utlysning/{calls['closed'].pk}/").content.decode()
    assert "Stengt 2025" in page
    assert "this call no longer takes applications" in page
    assert "Log in and apply" not in page


@pytest.mark.parametrize("actor_name", [n for n in ACTORS if n != "system"])
def test_a_draft_call_is_not_there_for_anyone(calls, actor_name):
    web = client()
    actor = make_actor(actor_name)
    if actor_name != "anonymous":
        web.force_login(actor)
    response = web.get(f"/prosjektskjonn/utlysning/{calls['draft'].pk}/")
    assert response.status_code == 404
    assert "Hemmeleg utkast" not in response.content.decode()
    assert "Hemmeleg utkast" not in web.get("/prosjektskjonn/utlysninger/").content.decode()


def test_an_unknown_call_is_404():
    assert client().get("/prosjektskjonn/utlysning/999999/").status_code == 404


def test_the_grants_page_links_to_the_calls(db):
    page = client().get("/prosjektskjonn/").content.decode()
    assert 'href="/prosjektskjonn/utlysninger/"' in page
