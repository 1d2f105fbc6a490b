from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import translation

from kommunedialog.core.refusal import Refused
from kommunedialog.profiles import services, snapshot
from kommunedialog.profiles.models import Assessment, Profile, PublishedProfile, Rating, SnapshotIsImmutable
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(role="coordinator", office="rogaland")


@pytest.fixture
def published(coordinator) -> PublishedProfile:
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name="Kommunebilde 2026", year=2026
    )
    profile = cycle.profiles.get(municipality__number="1133")
    Assessment.objects.filter(profile=profile).update(rating=Rating.IMPROVEMENT, justification="Demonstrasjonstekst.")
    Profile.objects.filter(pk=profile.pk).update(
        state=State.MEETING_HELD, overall_picture="Demonstrasjon: hovudbilete.", meeting_held_on=dt.date(2026, 10, 1)
    )
    services.profile_publish(profile=profile, actor=coordinator)
    return PublishedProfile.objects.get(profile=profile)


def test_publishing_freezes_texts_ratings_and_dates_with_a_hash(published):
    content = published.content
    assert content["municipality"] == {"number": "1133", "name": "Hjelmeland"}
    assert (content["overall_picture"], content["data_as_of"], content["meeting_held_on"]) == (
        "Demonstrasjon: hovudbilete.",
        "2026-10-01",
        "2026-10-01",
    )
    assert [d["rating"] for d in content["domains"]] == ["improvement"] * 10
    assert published.content_hash == snapshot.content_hash(content)
    assert len(published.content_hash) == 64
    assert published.data_as_of == dt.date(2026, 10, 1)


def test_a_snapshot_cannot_be_changed_or_deleted(published):
    published.data_as_of = dt.date(2030, 1, 1)
    with pytest.raises(SnapshotIsImmutable):
        published.save()
    with pytest.raises(SnapshotIsImmutable):
        PublishedProfile.objects.filter(pk=published.pk).update(content={})
    with pytest.raises(SnapshotIsImmutable):
        published.delete()
    with pytest.raises(SnapshotIsImmutable):
        PublishedProfile.objects.filter(pk=published.pk).delete()


def test_a_published_profile_cannot_be_edited(published, coordinator):
    assessment = published.profile.assessments.first()
    with (
        translation.override("en"),
        pytest.raises(Refused, match=r"^A kommunebilde that is “Published” cannot be edited$"),
    ):
        services.assessment_update(
            assessment=assessment,
            actor=coordinator,
            expected_version=assessment.version,
            rating=Rating.GOOD,
            justification="Endra etter publisering.",
        )
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.justification) == ("improvement", "Demonstrasjonstekst.")


def test_the_snapshot_stays_byte_identical_when_the_underlying_data_changes(published, coordinator):
    before = snapshot.canonical_json(PublishedProfile.objects.get(pk=published.pk).content)
    Municipality.objects.filter(number="1133", valid_to__isnull=True).update(name="Hjelmeland (omdøypt)")
    Assessment.objects.filter(profile=published.profile).update(justification="Endra i databasen etterpå.")
    Profile.objects.filter(pk=published.profile_id).update(overall_picture="Endra.")
    after = PublishedProfile.objects.get(pk=published.pk)
    assert snapshot.canonical_json(after.content) == before
    assert snapshot.content_hash(after.content) == published.content_hash
    assert json.loads(before)["municipality"]["name"] == "Hjelmeland"
