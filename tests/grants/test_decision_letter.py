"""The decision letter as an individual decision under forvaltningsloven §§ 24–27 (issue 15): the case
reference from the office's case numbers, the case officer and how to reach them, the date, the reasons
(the call's criteria and the assessment's summary), the right to appeal with its deadline and to whom,
and the right to see the case's documents; in the municipality's målform. Read back from the PDF."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from kommunedialog.core.refusal import Refused
from kommunedialog.grants import letter, services
from kommunedialog.grants.models import Application, CaseCounter, Decision
from kommunedialog.registry.models import LanguageForm, Municipality
from tests.factories import CallFactory, UserFactory, complete_application

pytestmark = pytest.mark.django_db


def pdf_text(decision: Decision) -> tuple[str, str]:
    """The letter's text with all white space removed (lines break anywhere), and its language tag."""
    reader = PdfReader(io.BytesIO(letter.render(decision)))
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", text), str(reader.trailer["/Root"].get("/Lang", ""))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_first_submission_numbers_the_case_per_office_and_year(call, people):
    first = services.application_submit(application=complete_application(call), actor=people["applicant"])
    second = services.application_submit(
        application=complete_application(call, municipality="1134"),
        actor=UserFactory(role="municipality_user", municipality="1134"),
    )
    elsewhere = CallFactory(office="vestland")
    vestland = Municipality.objects.current().filter(county__office__code="vestland").order_by("number").first()
    third = services.application_submit(
        application=complete_application(elsewhere, municipality=vestland.number),
        actor=UserFactory(role="municipality_user", municipality=vestland.number),
    )
    year = first.submitted_at.year
    assert [a.case_reference for a in (first, second, third)] == [f"{year}/1", f"{year}/2", f"{year}/1"]


def test_a_refused_submission_uses_no_case_number(call, people):
    application = complete_application(call)
    Application.objects.filter(pk=application.pk).update(confirmed_version=None)  # not confirmed: not sendable
    with pytest.raises(Refused):
        services.application_submit(application=application, actor=people["applicant"])
    application.refresh_from_db()
    assert (application.case_reference, CaseCounter.objects.count()) == ("", 0)


@pytest.fixture
def decided(application_in, people):
    def decide(language_form: str, outcome: str = "approved") -> Decision:
        people["staff"].first_name, people["staff"].last_name = "Sindre", "Saksbehandlar"
        people["staff"].save()
        Municipality.objects.filter(number="1133").update(language_form=language_form)
        return Decision.objects.get(application=application_in(outcome))

    return decide


def test_the_decision_fixes_reference_case_officer_and_assessment(decided, people):
    decision = decided(LanguageForm.NYNORSK)
    assert (
        decision.case_reference,
        decision.case_officer,
        decision.case_officer_name,
        decision.case_officer_email,
        decision.assessment_summary,
        decision.language,
    ) == (
        decision.application.case_reference,
        people["staff"],
        "Sindre Saksbehandlar",
        "sindre@example.invalid",
        "Tilrådd.",
        "nn",
    )
    assert re.fullmatch(r"\d{4}/1", decision.case_reference)


@pytest.mark.parametrize(
    ("language_form", "language", "outcome"),
    [(LanguageForm.NYNORSK, "nn", "approved"), (LanguageForm.BOKMAAL, "nb", "rejected")],
)
def test_the_letter_read_from_the_pdf_holds_what_forvaltningsloven_asks(decided, language_form, language, outcome):
    decision = decided(language_form, outcome)
    text, lang = pdf_text(decision)
    assert lang == language
    with translation.override(language):
        wanted = [
            gettext("Our reference"),
            decision.case_reference,
            gettext("Case officer"),
            "SindreSaksbehandlar",
            "sindre@example.invalid",
            gettext("Right to appeal"),
            gettext(
                "The appeal deadline is three weeks from the day this letter reached you (forvaltningsloven § 29)."
            ),
            gettext("Right to see the case's documents"),
            "Nytte(60%)",  # the call's criteria and their weights
            "Tilrådd.",  # the assessment's summary
        ]
    missing = [w for w in wanted if squeezed(w) not in text]
    assert missing == []
