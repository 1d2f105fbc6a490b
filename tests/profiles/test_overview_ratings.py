from __future__ import annotations

import pytest
from django.utils import translation

from kommunedialog.core.domains import Domain
from kommunedialog.profiles import overview
from kommunedialog.registry.models import Municipality
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


def test_the_overview_shows_the_latest_published_rating_per_domain():
    make_scenario()  # publishes Hjelmeland's 2024 kommunebilde with every domain rated "good"
    hjelmeland, suldal = (
        Municipality.objects.current().get(number="1133"),
        Municipality.objects.current().get(number="1134"),
    )
    with translation.override("en"):
        ratings = overview.latest_ratings([hjelmeland, suldal])
        assert ratings[(hjelmeland.pk, Domain.ECONOMY)] == "Good competence, capacity and quality"
    assert len([key for key in ratings if key[0] == hjelmeland.pk]) == 10
    assert not any(key[0] == suldal.pk for key in ratings)
