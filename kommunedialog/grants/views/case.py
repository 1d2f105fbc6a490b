"""The case page of an application, which both sides see: the workflow's next steps, the messages and
attachments, and for the office the assessment panel beside it. Also the application form's steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kommunedialog.core.actors import person
from kommunedialog.core.submission import offers
from kommunedialog.core.workflow import OFFICE, Party
from kommunedialog.grants import forms
from kommunedialog.grants.models import Application, Review
from kommunedialog.grants.services.assessment import REVIEWABLE
from kommunedialog.grants.states import ApplicationState
from kommunedialog.grants.workflow import APPLICATION, parties
from kommunedialog.profiles import public as public_profiles


@dataclass(frozen=True)
class FormStep:
    slug: str
    label: str | Promise
    form: type[Any] | None


FORM_STEPS = (
    FormStep("soker", gettext_lazy("Applicant"), forms.ApplicantForm),
    FormStep("samarbeid", gettext_lazy("Partners"), forms.PartnersForm),
    FormStep("prosjekt", gettext_lazy("Project"), forms.ProjectForm),
    FormStep("utfordringer", gettext_lazy("Challenges and goals"), forms.ChallengesForm),
    FormStep("sektorer", gettext_lazy("Sectors and instruments"), forms.SectorsForm),
    FormStep("budsjett", gettext_lazy("Budget"), forms.BudgetForm),
    FormStep("periode", gettext_lazy("Period"), forms.PeriodForm),
    FormStep("vedlegg", gettext_lazy("Attachments"), None),
    FormStep("bekreftelse", gettext_lazy("Chief executive's confirmation"), forms.ConfirmationForm),
    FormStep("send", gettext_lazy("Check and submit"), None),
)
BY_SLUG = {s.slug: s for s in FORM_STEPS}
# Taken on a page of their own: submitting on the form's last step (after its check), deciding on the
# decision page (with amount and reasons).
ON_OWN_PAGE = frozenset({"submit", "resubmit", "approve", "reject"})


STEP_FORMS: dict[str, type[Any]] = {
    "return_for_correction": forms.ReturnForm,
    "request_information": forms.QuestionForm,
    "answer_information": forms.AnswerForm,
}


def _step_url(application: Application, action: str) -> str:
    if action in {"submit", "resubmit"}:
        return reverse("grants:application_edit_step", args=[application.pk, "send"])
    if action in {"approve", "reject"}:
        return reverse("grants:application_decide", args=[application.pk]) + f"?outcome={action}"
    return reverse("grants:application_take_step", args=[application.pk, action])


def case_context(request: HttpRequest, application: Application, **bound: Any) -> dict[str, Any]:
    """The case page both sides see; the office's assessment panel beside it. ``bound`` holds the forms
    of a post that failed, shown with what was typed and why."""
    user = person(request)
    found = parties(application, user)
    office_side = bool(OFFICE & found)
    step_forms = {action: form_class(auto_id=f"{action}_%s") for action, form_class in STEP_FORMS.items()}
    step_forms.update(bound.pop("step_forms", {}))
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "offers": offers(
            APPLICATION.allowed(application, user),
            url=lambda action: _step_url(application, action),
            step_forms=step_forms,
            links=ON_OWN_PAGE,
        ),
        "is_applicant": Party.MUNICIPALITY in found,
        "office_side": office_side,
        "budget": application.budget(),
        "messages_list": application.messages.all(),
        "attachments": application.attachments.select_related("file"),
        "decision": getattr(application, "decision", None),
        "project": getattr(application, "project", None),
        "steps": FORM_STEPS,
    }
    if office_side:
        context.update(assessment_context(request, application, **bound))
        context["kommunebilde"] = public_profiles.for_municipality(application.municipality)
        context["earlier_grants"] = (
            Application.objects.filter(municipality=application.municipality, state=ApplicationState.APPROVED)
            .exclude(pk=application.pk)
            .select_related("call", "project")
            .order_by("-call__year")
        )
    return context


def _declared(review: Review | None) -> str | None:
    if review is None or review.conflict is None:
        return None
    return "yes" if review.conflict else "no"


def assessment_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    """The assessment panel beside the application, for the office only."""
    criteria = list(application.call.criteria.all())
    reviews = list(application.reviews.select_related("reviewer").prefetch_related("scores__criterion"))
    own = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    return {
        "criteria": criteria,
        "reviews": reviews,
        "own_review": own,
        "reviewable": application.state in REVIEWABLE,
        "conflict_form": extra.pop("conflict_form", None) or forms.ConflictForm(initial={"conflict": _declared(own)}),
        "score_form": extra.pop("score_form", None) or forms.ScoreForm(criteria=criteria, review=own),
        **extra,
    }
