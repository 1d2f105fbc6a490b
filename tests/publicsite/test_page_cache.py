"""The public pages served from a rendered version (ADR 0008): after each kind of write to public
content the page as served equals a fresh render, and what is private leaves the version alone."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from kommunedialog.core import pagecache
from kommunedialog.grants import services as grants
from kommunedialog.profiles import services as profiles
from kommunedialog.profiles.models import Assessment, Profile, Rating
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.statistics import importers
from kommunedialog.statistics import services as statistics
from tests.conftest import shared_data
from tests.factories import CallFactory, UserFactory, advance, complete_application
from tests.statistics.conftest import data_path
from tests.statistics.test_importers import KOMMUNEPANEL

pytestmark = pytest.mark.django_db

MAIN = re.compile(r"<main\b.*</main>", re.S)


def main_of(html: bytes) -> str:
    found = MAIN.search(html.decode())
    assert found is not None
    return found.group(0)


class Pages:
    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings

    def served(self, url: str) -> str:
        return main_of(Client().get(url).content)

    def fresh(self, url: str) -> str:
        seconds = self.settings.PUBLIC_PAGE_CACHE_SECONDS
        self.settings.PUBLIC_PAGE_CACHE_SECONDS = 0
        try:
            return main_of(Client().get(url).content)
        finally:
            self.settings.PUBLIC_PAGE_CACHE_SECONDS = seconds

    def after(self, write, *urls: str) -> list[str]:  # type: ignore[no-untyped-def]
        """Serve ``urls`` (so they are cached), make the write, and return each page as served, having
        asserted it equals a fresh render."""
        for url in urls:
            self.served(url)
        version = pagecache.content_version()
        write()
        assert pagecache.content_version() != version
        pages = []
        for url in urls:
            page = self.served(url)
            assert page == self.fresh(url), url
            pages.append(page)
        return pages


@pytest.fixture
def pages(settings) -> Pages:  # type: ignore[no-untyped-def]
    assert settings.PUBLIC_PAGE_CACHE_SECONDS > 0
    return Pages(settings)


def ready_to_publish(number: str, text: str, *, year: int = 2026) -> tuple[Profile, object]:
    coordinator = UserFactory(role="coordinator", office="rogaland")
    cycle = profiles.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name=f"Runde {year}", year=year
    )
    profile = cycle.profiles.get(municipality__number=number)
    Assessment.objects.filter(profile=profile).update(rating=Rating.GOOD, justification="Begrunnelse.")
    Profile.objects.filter(pk=profile.pk).update(
        state=State.MEETING_HELD, overall_picture=text, meeting_held_on=dt.date(2026, 10, 1)
    )
    return profile, coordinator


def test_a_publication_and_its_supersession_reach_the_served_pages(pages):
    first, coordinator = ready_to_publish("1133", "Det første kommunebildet.", year=2025)
    page, _front_page = pages.after(
        lambda: profiles.profile_publish(profile=first, actor=coordinator), "/kommuner/1133/", "/"
    )
    assert "Det første kommunebildet." in page
    second, coordinator = ready_to_publish("1133", "Det andre kommunebildet.")
    [page] = pages.after(lambda: profiles.profile_publish(profile=second, actor=coordinator), "/kommuner/1133/")
    assert "Det andre kommunebildet." in page
    assert "Det første kommunebildet." not in page


def test_a_statistics_import_reaches_the_served_page(pages):
    root = shared_data()
    [batch] = importers.read(data_path(KOMMUNEPANEL), root=root)
    before = pages.served("/kommuner/1133/")
    [page] = pages.after(lambda: statistics.statistics_import(batches=[batch], origin="test"), "/kommuner/1133/")
    assert page != before


def test_a_register_import_reaches_the_served_page(pages):
    pages.served("/kommuner/1133/")
    # Someone renames the municipality behind every service's back: the page as served keeps the name.
    Municipality.objects.filter(number="1133").update(name="Feilnamn")
    assert "Feilnamn" not in pages.served("/kommuner/1133/")
    [page] = pages.after(
        lambda: call_command("import_registry", source=shared_data(), stdout=io.StringIO()), "/kommuner/1133/"
    )
    assert "Hjelmeland" in page
    assert "Feilnamn" not in page


def test_a_grant_decision_and_its_publication_flag_reach_the_served_page(pages):
    applicant = UserFactory(role="municipality_user", municipality="1133")
    staff = UserFactory(role="staff", office="rogaland")
    coordinator = UserFactory(role="coordinator", office="rogaland")
    application = complete_application(CallFactory(), applicant=applicant, title="Digital heimeteneste i fjordane")
    application = advance(application, "recommended", applicant=applicant, staff=staff, coordinator=coordinator)
    pages.after(
        lambda: advance(application, "approved", applicant=applicant, staff=staff, coordinator=coordinator),
        "/kommuner/1133/",
    )
    application.refresh_from_db()
    [page] = pages.after(
        lambda: grants.application_set_publication(application=application, actor=staff, publish=True),
        "/kommuner/1133/",
    )
    assert "Digital heimeteneste i fjordane" in page
    [page] = pages.after(
        lambda: grants.application_set_publication(application=application, actor=staff, publish=False),
        "/kommuner/1133/",
    )
    assert "Digital heimeteneste i fjordane" not in page


def test_private_work_leaves_the_version_and_the_served_page_alone(pages, django_assert_num_queries):
    profile, _ = ready_to_publish("1134", "Utkast.")
    staff = UserFactory(role="staff", office="rogaland")
    pages.served("/kommuner/1134/")
    version = pagecache.content_version()
    assessment = profile.assessments.first()
    profiles.assessment_update(
        assessment=assessment,
        actor=staff,
        rating=Rating.VULNERABLE,
        justification="Privat utkast.",
        expected_version=assessment.version,
    )
    assert pagecache.content_version() == version
    # Served from the cache: the session-less layout needs no query, the content version one.
    with django_assert_num_queries(1):
        Client().get("/kommuner/1134/")


def test_each_language_and_each_code_version_has_its_own_page(pages, monkeypatch):
    nb = pages.served("/kommuner/1133/")
    en = main_of(Client().get("/kommuner/1133/", headers={"accept-language": "en"}).content)
    assert nb != en
    assert pagecache.key("municipality", "1133") != pagecache.key("municipality", "1134")
    key = pagecache.key("municipality", "1133")
    monkeypatch.setattr(pagecache, "code_version", lambda: "next-release")
    assert pagecache.key("municipality", "1133") != key


def test_stored_bodies_lose_the_templates_indentation_and_nothing_a_reader_sees():
    html = (
        "<section>\n    <h2>Helse</h2>\n    <p>Sårbar:\n        <strong>kapasitet</strong> og kvalitet</p>\n"
        "    <pre>\n  a\n    b</pre>\n  <TEXTAREA name=t>\n   kept\n</TEXTAREA>\n</section>\n"
    )
    assert pagecache.compact(html) == (
        "<section>\n<h2>Helse</h2>\n<p>Sårbar:\n<strong>kapasitet</strong> og kvalitet</p>\n"
        "<pre>\n  a\n    b</pre>\n<TEXTAREA name=t>\n   kept\n</TEXTAREA>\n</section>\n"
    )


def test_the_municipality_page_body_is_stored_compact():
    from kommunedialog.publicsite.views import _municipality_page

    page = _municipality_page("1133")
    assert page is not None
    assert page[0] == "Hjelmeland"
    body = page[1].decode()
    assert "<h1" in body
    assert re.search(r"\n[ \t]+", body) is None


def test_a_process_serves_a_page_again_from_its_own_memory_and_never_a_stale_one(pages, monkeypatch):
    from django.core.cache import cache

    asked: list[str] = []
    shared_get = cache.get

    def counting_get(key, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(key)
        return shared_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    first = pages.served("/kommuner/1134/")
    assert len([k for k in asked if k.startswith("page:municipality:1134:")]) == 1
    asked.clear()
    assert pages.served("/kommuner/1134/") == first
    assert [k for k in asked if k.startswith("page:")] == []
    # A write to public content: the process's copy is under the old version and is not served.
    profile, coordinator = ready_to_publish("1134", "Nytt bilde.")
    (after,) = pages.after(lambda: profiles.profile_publish(profile=profile, actor=coordinator), "/kommuner/1134/")
    assert after != first


def test_the_process_tier_keeps_only_the_newest_pages(pages, settings):
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 2
    for number in ("1133", "1134", "1135"):
        pages.served(f"/kommuner/{number}/")
    assert [name.split(":")[2] for name in pagecache._local] == ["1134", "1135"]
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 0
    pagecache.forget_local()
    pages.served("/kommuner/1133/")
    assert list(pagecache._local) == []


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_stored_body_is_placed_once_inside_the_layout(pages, language):
    response = Client().get("/kommuner/1133/", headers={"accept-language": language})
    html = response.content.decode()
    assert response["Content-Length"] == str(len(response.content))
    assert "<!-- page body -->" not in html
    assert html.count("<main") == 1
    main = main_of(response.content)
    assert main.count("<h1") == 1
    assert "Hjelmeland" in main
    assert html.index("</main>") < html.index("<footer")
