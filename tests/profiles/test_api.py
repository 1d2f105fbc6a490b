"""The kommunebilde in the open data API: published snapshots only, drafts unreachable by any id."""

from __future__ import annotations

import pytest

from kommunedialog.profiles.models import Profile, PublishedProfile
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():  # type: ignore[no-untyped-def]
    return make_scenario()


def test_list_gives_the_published_snapshot_with_its_hash(client, scenario):
    snap = scenario["published_snapshot"]
    response = client.get("/api/v1/municipalities/1133/kommunebilder")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": snap.pk,
            "municipality": "1133",
            "office": "rogaland",
            "cycle": snap.content["cycle"]["name"],
            "year": snap.content["cycle"]["year"],
            "published_at": response.json()[0]["published_at"],
            "data_as_of": snap.data_as_of.isoformat(),
            "content_hash": snap.content_hash,
            "current": True,
            "page_url": f"/kommuner/1133/kommunebilde/{snap.pk}/",
            "pdf_url": f"/kommuner/1133/kommunebilde/{snap.pk}.pdf",
        }
    ]


def test_detail_gives_the_frozen_content_exactly(client, scenario):
    snap = scenario["published_snapshot"]
    body = client.get(f"/api/v1/municipalities/1133/kommunebilder/{snap.pk}").json()
    assert body["content"] == snap.content
    assert body["content_hash"] == snap.content_hash


@pytest.mark.parametrize("who", ["anonymous", "other_municipality_user"])
def test_drafts_and_consultation_versions_are_404_by_every_id(client, scenario, who):
    from tests.factories import UserFactory

    if who == "other_municipality_user":
        client.force_login(UserFactory(role="municipality_user", municipality="1134"))
    published = set(PublishedProfile.objects.values_list("pk", flat=True))
    draft_ids = set(Profile.objects.values_list("pk", flat=True))
    for candidate in sorted(draft_ids | published | {max(draft_ids) + 1}):
        response = client.get(f"/api/v1/municipalities/1133/kommunebilder/{candidate}")
        if candidate in published:
            assert response.status_code == 200
            assert "Scenario: overall picture on consultation." not in response.content.decode()
        else:
            assert response.status_code == 404, candidate
    listed = {item["id"] for item in client.get("/api/v1/municipalities/1133/kommunebilder").json()}
    assert listed == published


def test_unknown_municipality_is_404(client):
    assert client.get("/api/v1/municipalities/9999/kommunebilder").status_code == 404


@pytest.mark.parametrize(
    ("how", "language", "economy", "improvement", "published"),
    [
        ({}, "nb", "Kommuneøkonomi", "Forbedringspotensial", "Publisert"),
        ({"headers": {"Accept-Language": "nn"}}, "nn", "Kommuneøkonomi", "Forbetringspotensial", "Publisert"),
        ({"data": {"lang": "en"}}, "en", "Municipal economy", "Improvement potential", "Published"),
    ],
)
def test_detail_gives_labels_in_the_request_language(client, scenario, how, language, economy, improvement, published):
    snap = scenario["published_snapshot"]
    body = client.get(f"/api/v1/municipalities/1133/kommunebilder/{snap.pk}", **how).json()
    labels = body["labels"]
    assert (labels["language"], labels["domains"]["economy"], labels["ratings"]["improvement"]) == (
        language,
        economy,
        improvement,
    )
    assert labels["states"]["published"] == published
    assert body["content"] == snap.content  # the frozen content itself is never translated
