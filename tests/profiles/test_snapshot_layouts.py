"""A published kommunebilde keeps the layout it was published in. New ones (layout 2) lead with the
picture — every domain's rating and justification — and fold the evidence that has no figures; old ones
(stored without a layout number) render exactly as they did (layout 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from kommunedialog.accounts.models import Role
from kommunedialog.core import pagecache
from kommunedialog.oversight.models import Supervision
from kommunedialog.profiles import layouts, services
from kommunedialog.profiles.models import Assessment, Profile, PublishedProfile, Rating
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory
from tests.profiles.test_published_evidence import import_free_income

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> PublishedProfile:
    hjelmeland = Municipality.objects.current().get(number="1133")
    import_free_income({"1133": 70_000, "1134": 72_000, "1144": 68_000}, dt.datetime(2026, 4, 25, tzinfo=dt.UTC))
    Supervision.objects.create(
        municipality=hjelmeland,
        domain="child_welfare",
        topic="Tilsyn",
        authority="statsforvalteren",
        reference="2026/1",
        supervision_type="system_audit",
        carried_out_on=dt.date(2026, 2, 1),
        nonconformity_count=1,
        remark_count=0,
    )
    coordinator = UserFactory(role=Role.COORDINATOR, office="rogaland")
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"),
        actor=coordinator,
        name="Kommunebilde 2026",
        year=2026,
        domains=[("economy", "Økonomi", ""), ("child_welfare", "Barnevern", "")],
    )
    profile = cycle.profiles.get(municipality=hjelmeland)
    economy, child_welfare = profile.assessments.order_by("cycle_domain__position")
    Assessment.objects.filter(pk=economy.pk).update(rating=Rating.IMPROVEMENT, justification="Stram økonomi.")
    Assessment.objects.filter(pk=child_welfare.pk).update(rating=Rating.GOOD, justification="Godt barnevern.")
    Profile.objects.filter(pk=profile.pk).update(state=State.MEETING_HELD, meeting_held_on=dt.date(2026, 10, 1))
    services.profile_publish(profile=profile, actor=coordinator)
    return PublishedProfile.objects.get(profile=profile)


def store_as_published_before_layouts(snap: PublishedProfile, rendered: dict[str, str]) -> None:
    """Rewrites the stored fragments behind the model's back (it refuses any change), as a snapshot
    published before layouts were numbered holds them."""
    models.QuerySet.update(PublishedProfile.objects.filter(pk=snap.pk), rendered=rendered)


def page(client: Client) -> str:
    html = client.get("/kommuner/1133/", headers={"Accept-Language": "en"}).content.decode()
    return html[html.index('<section aria-labelledby="kommunebilde-heading"') : html.index('id="office-map-heading"')]


def test_a_new_publication_is_stored_in_layout_2(published):
    assert published.rendered["layout"] == "2"
    assert sorted(published.rendered) == ["en", "layout", "nb", "nn"]
    assert layouts.template_for(published) == "profiles/_snapshot.html"


def test_layout_2_leads_with_every_domains_rating_and_justification(published):
    html = page(Client())
    picture = html.index('<ul class="snapshot-picture"')
    # The picture comes before the note on what a kommunebilde is, and before any evidence.
    assert picture < html.index('<div class="ds-alert" data-color="info">') < html.index("Evidence: Økonomi")
    listed = html[picture : html.index("</ul>", picture)]
    assert listed.index("Økonomi") < listed.index("Improvement potential") < listed.index("Stram økonomi.")
    assert listed.index("Barnevern") < listed.index("Good competence, capacity and quality")
    assert "Godt barnevern." in listed


def test_layout_2_shows_figures_and_folds_evidence_without_figures(published):
    html = page(Client())
    # Economy has a statistic: shown open, chart and all.
    economy = html[html.index('id="evidence-') : html.index("</section>", html.index('id="evidence-'))]
    assert "Evidence: Økonomi" in economy
    assert '<figure class="statistics__chart">' in economy
    # Child welfare has only a supervision: folded.
    folded = html[html.index('<details class="ds-details public-domain__folded">') :]
    assert folded.startswith(
        '<details class="ds-details public-domain__folded">\n<summary>Evidence: Barnevern</summary>'
    )
    assert "1 nonconformity" in folded[: folded.index("</details>")]
    assert html.count("<details") == 1


def test_a_snapshot_stored_without_a_layout_renders_in_layout_1_exactly_as_before(published):
    # A snapshot as published before layouts were numbered: its fragments in layout 1, no number.
    old = PublishedProfile.objects.get(pk=published.pk)
    with translation.override("en"):
        v1 = render_to_string("profiles/_snapshot_v1.html", {"snap": old})
    store_as_published_before_layouts(old, {"nb": "<p>nb</p>", "nn": "<p>nn</p>", "en": v1})
    old.refresh_from_db()
    assert layouts.template_for(old) == "profiles/_snapshot_v1.html"
    html = page(Client())
    assert pagecache.compact(v1) in html  # the page body is stored without indentation (ADR 0008)
    assert '<ul class="snapshot-picture"' not in html
    # A language it was not stored in is rendered from the same old layout.
    store_as_published_before_layouts(old, {"nb": "<p>nb</p>"})
    old.refresh_from_db()
    with translation.override("en"):
        assert old.fragment == v1
    # Layout 1 as it always was: the note first, then each domain with its rating and its evidence.
    assert v1.index('<div class="ds-alert" data-color="info">') < v1.index('aria-label="Økonomi"')
    assert "<details" not in v1


def test_the_layout_of_a_stored_fragment_never_changes_when_the_current_layout_does(published, monkeypatch):
    stored = dict(published.rendered)
    monkeypatch.setattr(layouts, "CURRENT_LAYOUT", "1")
    published.refresh_from_db()
    assert published.rendered == stored
    assert layouts.template_for(published) == "profiles/_snapshot.html"
