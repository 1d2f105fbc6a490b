"""Assessment: a reviewer declares conflict of interest before scoring; with a conflict they cannot score
(and earlier scores are removed); a recommendation needs a complete review without conflict; the
weighted score follows the call's weights."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kommunedialog.core.refusal import Refused
from kommunedialog.grants import services
from kommunedialog.grants.models import Review, Score
from kommunedialog.grants.services import ConflictOfInterest
from tests.grants.conftest import make_actor, snapshot

pytestmark = pytest.mark.django_db


def score(application, actor, **kwargs):
    values = {
        "scores": {c.pk: (s, "Kommentar.") for c, s in zip(application.call.criteria.all(), (5, 2), strict=True)},
        "recommendation": "approve",
        "recommended_amount": None,
        "text": "Tilrådd.",
    }
    return services.review_score(application=application, actor=actor, **(values | kwargs))


def test_scoring_before_declaring_is_refused(application_in, people):
    application = application_in("under_assessment")
    before = snapshot(application)
    with pytest.raises(ConflictOfInterest, match=r"^Declare whether you have a conflict of interest before you score$"):
        score(application, people["staff"])
    assert snapshot(application) == before
    assert not Score.objects.exists()


def test_a_reviewer_with_a_conflict_cannot_score(application_in, people):
    application = application_in("under_assessment")
    services.review_declare(application=application, actor=people["staff"], conflict=True, note="Bror i prosjektet.")
    before = snapshot(application)
    with pytest.raises(
        ConflictOfInterest, match=r"^You have declared a conflict of interest and cannot score this application$"
    ):
        score(application, people["staff"])
    assert snapshot(application) == before
    assert not Score.objects.exists()


def test_declaring_a_conflict_later_removes_the_scores(application_in, people):
    application = application_in("under_assessment")
    services.review_declare(application=application, actor=people["staff"], conflict=False)
    score(application, people["staff"])
    assert Score.objects.count() == 2
    services.review_declare(application=application, actor=people["staff"], conflict=True, note="Oppdaga seint.")
    review = Review.objects.get(application=application, reviewer=people["staff"])
    assert (Score.objects.count(), review.recommendation, review.is_complete) == (0, "", False)
    with pytest.raises(Refused, match=r"^You have declared a conflict of interest in this application$"):
        services.application_recommend(application=application, actor=people["staff"])


def test_whoever_declared_a_conflict_neither_recommends_nor_decides(application_in, people):
    """Forvaltningsloven § 6: a disqualified person takes no part in preparing or deciding the case."""
    from tests.factories import close_call

    application = application_in("under_assessment")
    services.review_declare(application=application, actor=people["staff"], conflict=False)
    score(application, people["staff"])
    services.review_declare(application=application, actor=people["coordinator"], conflict=True, note="Bror.")
    before = snapshot(application)
    with pytest.raises(Refused, match=r"^You have declared a conflict of interest in this application$"):
        services.application_recommend(application=application, actor=people["coordinator"])
    assert snapshot(application) == before
    services.application_recommend(application=application, actor=people["staff"])
    close_call(application.call)
    application.refresh_from_db()
    before = snapshot(application)
    with pytest.raises(Refused, match=r"^You have declared a conflict of interest in this application$"):
        services.application_approve(
            application=application,
            actor=people["coordinator"],
            amount=100_000,
            reasons="Godt.",
            final_report_due=dt.date(2027, 2, 1),
        )
    with pytest.raises(Refused, match=r"^You have declared a conflict of interest in this application$"):
        services.application_reject(application=application, actor=people["coordinator"], reasons="Nei.")
    assert snapshot(application) == before


def test_a_conflict_needs_a_note(application_in, people):
    application = application_in("under_assessment")
    with pytest.raises(Refused, match="what the conflict of interest is"):
        services.review_declare(application=application, actor=people["staff"], conflict=True, note=" ")
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "actor_name", ["applicant_own", "applicant_partner", "applicant_other", "staff_other", "ministry", "admin"]
)
def test_only_the_office_reviews(application_in, actor_name):
    application = application_in("under_assessment")
    actor = make_actor(actor_name)
    before = snapshot(application)
    with pytest.raises(PermissionDenied):
        services.review_declare(application=application, actor=actor, conflict=False)
    assert snapshot(application) == before


def test_every_criterion_must_be_scored_and_a_lower_amount_must_be_lower(application_in, people):
    application = application_in("under_assessment")
    services.review_declare(application=application, actor=people["staff"], conflict=False)
    first = application.call.criteria.first()
    with pytest.raises(Refused, match="Score every criterion"):
        score(application, people["staff"], scores={first.pk: (3, "")})
    with pytest.raises(Refused, match="A lower amount must be more than zero and less than"):
        score(application, people["staff"], recommendation="approve_reduced", recommended_amount=400_000)
    assert not Score.objects.exists()
    review = score(application, people["staff"], recommendation="approve_reduced", recommended_amount=250_000)
    # 5 × 60 % + 2 × 40 % = 3.8
    assert (review.weighted_score(), review.recommended_amount, review.is_complete) == (3.8, 250_000, True)


def test_no_review_outside_the_assessment(application_in, people):
    application = application_in("submitted")
    before = snapshot(application)
    with pytest.raises(Refused, match=r"^An application that is “Submitted” is not being assessed$"):
        services.review_declare(application=application, actor=people["staff"], conflict=False)
    assert snapshot(application) == before
