"""The ministry's overview counts the applications municipalities actually sent: drafts never, and not
those withdrawn (which keep the date they were first submitted); and calls that were published, not drafts."""

from __future__ import annotations

import pytest

from kommunedialog.grants import overview, services
from kommunedialog.grants.models import Theme
from tests.factories import CallFactory, advance, complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_call(call, people):
    """Five applications in one call: a draft (400 000), a draft withdrawn (200 000), one withdrawn after
    submission (350 000), one submitted (300 000) and one approved (400 000)."""

    def make(title: str, amount: int):  # type: ignore[no-untyped-def]
        return complete_application(call, applicant=people["applicant"], title=title, amount_applied=amount)

    make("Utkast", 400_000)
    services.application_withdraw(application=make("Trekt som utkast", 200_000), actor=people["applicant"])
    advance(make("Trekt etter innsending", 350_000), "withdrawn", **people)
    advance(make("Sendt inn", 300_000), "submitted", **people)
    advance(make("Innvilget", 400_000), "approved", **people)
    return call


def test_office_and_year_totals_count_only_applications_sent_and_not_withdrawn(mixed_call):
    CallFactory(state="draft", frame=5_000_000)  # the office's working copy: neither a call nor money on offer
    assert overview.by_office_and_year() == [
        overview.OfficeYear(
            office="Statsforvalteren i Rogaland",
            year=2026,
            calls=1,
            frame=10_000_000,
            applications=2,
            approved=1,
            amount_applied=700_000,
            amount_awarded=400_000,
        )
    ]


def test_theme_totals_count_only_applications_sent_and_not_withdrawn(mixed_call):
    assert overview.by_theme() == [
        overview.ThemeTotal(
            theme="digitalisation",
            label=str(Theme.DIGITALISATION.label),
            applications=2,
            approved=1,
            amount_awarded=400_000,
        )
    ]


def test_the_export_counts_only_applications_sent_and_not_withdrawn(mixed_call):
    assert overview.export_csv().splitlines()[1:] == [
        f"Statsforvalteren i Rogaland,2026,{Theme.DIGITALISATION.label},2,1,700000,400000"
    ]
