"""Text hygiene: what a person types is stored in NFC and without invisible control characters, so a
right-to-left override cannot make a page read differently from what it holds."""

from __future__ import annotations

import pytest
from django.test import Client

from kommunedialog.core.text import tidy
from tests.factories import UserFactory
from tests.scenario import make_scenario

RLO, LRI, PDI, ZWSP, BOM = "\u202e", "\u2066", "\u2069", "\u200b", "\ufeff"


def test_tidy_removes_bidi_controls_and_invisible_characters_and_keeps_line_breaks():
    assert tidy(f"Tilsyn {RLO}fdp.exe{PDI}\n\tAvvik{ZWSP}{BOM}") == "Tilsyn fdp.exe\n\tAvvik"
    assert tidy("Lo\u0301 og Ha\u030arek") == "Ló og Hårek"
    assert tidy("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") == ""
    assert tidy("Sámi: Guovdageaidnu – «Kárášjohka»") == "Sámi: Guovdageaidnu – «Kárášjohka»"


@pytest.mark.django_db
def test_a_bidi_override_typed_into_a_justification_never_reaches_the_database_or_the_page():
    scenario = make_scenario()
    profile = scenario["draft_profile"]
    assessment = profile.assessments.order_by("pk").first()
    web = Client()
    web.force_login(UserFactory(role="staff", office="rogaland"))
    prefix = f"a{assessment.pk}"
    response = web.post(
        f"/kommunebilde/profil/{profile.pk}/vurdering/{assessment.pk}/",
        {
            f"{prefix}-rating": "improvement",
            f"{prefix}-justification": f"Lang ventetid {RLO}ikke{PDI} i 2026. Kapasitet{ZWSP}.",
            f"{prefix}-version": assessment.version,
            f"{prefix}-departure_reason": "Demonstrasjon.",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.justification == "Lang ventetid ikke i 2026. Kapasitet."
    # The save returns to the profile with the same domain open (the editor shows one at a time).
    assert response["Location"].startswith(f"/kommunebilde/profil/{profile.pk}/")
    page = web.get(response["Location"]).content.decode()
    assert RLO not in page
    assert "Lang ventetid ikke i 2026. Kapasitet." in page
