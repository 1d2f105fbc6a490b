from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.concurrency import VersionedFormMixin
from kommunedialog.core.domains import Domain
from kommunedialog.core.forms import StyledForm, StyledVersionedForm, date_field, style, text_area
from kommunedialog.grants.models import Call, Recommendation, Theme
from kommunedialog.grants.services import CallSpec, CriterionSpec
from kommunedialog.registry.models import Municipality
from kommunedialog.registry.organisation_number import validate_organisation_number

PUBLIC_WARNING = _(
    "May be published on the County Governor's website if the grant is awarded. "
    "Do not write names or other personal data here."
)


def _amount(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=10**12, **kwargs)


# Calls


class CallForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title_nb = forms.CharField(label=_("Title (bokmål)"), max_length=200)
    title_nn = forms.CharField(label=_("Title (nynorsk)"), max_length=200)
    description_nb = forms.CharField(label=_("Description (bokmål)"), widget=text_area(6))
    description_nn = forms.CharField(label=_("Description (nynorsk)"), widget=text_area(6))
    frame = _amount(_("Budget frame (NOK)"))
    deadline = date_field(_("Deadline (last day to submit)"))
    min_own_share_percent = forms.IntegerField(
        label=_("Minimum own share, in per cent of the total cost"), min_value=0, max_value=100, initial=0
    )
    min_amount = _amount(_("Minimum amount applied for (NOK)"), initial=0)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def spec(self, criteria: list[CriterionSpec]) -> CallSpec:
        data = self.cleaned_data
        return CallSpec(
            year=data["year"],
            title_nb=data["title_nb"],
            title_nn=data["title_nn"],
            description_nb=data["description_nb"],
            description_nn=data["description_nn"],
            frame=data["frame"],
            deadline=data["deadline"],
            min_own_share_percent=data["min_own_share_percent"],
            min_amount=data["min_amount"],
            themes=tuple(data["themes"]),
            criteria=tuple(criteria),
        )


class CallEditForm(VersionedFormMixin, CallForm):
    pass


class CriterionForm(StyledForm):
    name_nb = forms.CharField(label=_("Criterion (bokmål)"), max_length=200, required=False)
    name_nn = forms.CharField(label=_("Criterion (nynorsk)"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [bool(data.get(k)) for k in ("name_nb", "name_nn", "weight")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("A criterion needs both names and a weight."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=12)


def criteria_from(formset: Any) -> list[CriterionSpec]:
    return [
        CriterionSpec(f.cleaned_data["name_nb"], f.cleaned_data["name_nn"], f.cleaned_data["weight"])
        for f in formset.forms
        if f.cleaned_data.get("name_nb")
    ]


def criteria_initial(call: Call | None, blank_rows: int = 2) -> list[dict[str, Any]]:
    rows = (
        [{"name_nb": c.name_nb, "name_nn": c.name_nn, "weight": c.weight} for c in call.criteria.all()] if call else []
    )
    return rows + [{}] * blank_rows


def call_initial(call: Call) -> dict[str, Any]:
    return {
        "year": call.year,
        "title_nb": call.title_nb,
        "title_nn": call.title_nn,
        "description_nb": call.description_nb,
        "description_nn": call.description_nn,
        "frame": call.frame,
        "deadline": call.deadline,
        "min_own_share_percent": call.min_own_share_percent,
        "min_amount": call.min_amount,
        "themes": call.themes,
        "version": call.version,
    }


# Application steps


class ApplicantForm(StyledVersionedForm):
    organisation_number = forms.CharField(
        label=_("The municipality's organisation number"),
        required=False,
        max_length=15,  # room for the spaces people type between groups of digits
        help_text=_("Nine digits, from Brønnøysundregistrene. Used to identify the recipient in open data."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=30, required=False)

    def clean_organisation_number(self) -> str:
        number = "".join(self.cleaned_data["organisation_number"].split())
        validate_organisation_number(number)
        return number


class MunicipalityChoiceField(forms.ModelMultipleChoiceField[Municipality]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PartnersForm(StyledVersionedForm):
    partners = MunicipalityChoiceField(
        label=_("Partner municipalities in a joint project"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty if your municipality applies alone. Your municipality is the lead applicant."),
    )

    def __init__(self, *args: Any, lead: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partners"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Municipality.objects.current().filter(county__office=lead.office).exclude(pk=lead.pk).order_by("name")
        )


class ProjectForm(StyledVersionedForm):
    title = forms.CharField(label=_("Project title"), max_length=200, help_text=PUBLIC_WARNING)
    summary = forms.CharField(label=_("Summary"), widget=text_area(5), help_text=PUBLIC_WARNING)
    theme = forms.ChoiceField(label=_("Theme"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.value, t.label) for t in Theme if t.value in call.themes]


class ChallengesForm(StyledVersionedForm):
    challenges = forms.CharField(label=_("Which challenges does the project address?"), widget=text_area(6))
    goals = forms.CharField(label=_("What are the project's goals?"), widget=text_area(6))


class SectorsForm(StyledVersionedForm):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors the project concerns"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple
    )
    instruments = forms.CharField(
        label=_("Instruments: how will you work?"),
        widget=text_area(5),
        help_text=_("For example new ways of working, technology, cooperation or competence building."),
    )


class BudgetForm(StyledVersionedForm):
    own_share = _amount(_("Own share (NOK)"))
    other_funding = _amount(_("Other funding (NOK)"))
    amount_applied = _amount(_("Amount applied for (NOK)"))


class CostLineForm(StyledForm):
    description = forms.CharField(label=_("Cost"), max_length=200, required=False)
    amount = _amount(_("Amount (NOK)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is not None and not (data.get("description") or "").strip():
            self.add_error("description", _("Say what the cost is for."))
        return data


CostLineFormSet = forms.formset_factory(CostLineForm, extra=0, max_num=40)


def cost_lines_from(formset: Any) -> list[tuple[str, int]]:
    return [
        (f.cleaned_data["description"], f.cleaned_data.get("amount") or 0)
        for f in formset.forms
        if (f.cleaned_data.get("description") or "").strip()
    ]


class PeriodForm(StyledVersionedForm):
    period_start = date_field(_("Project start"))
    period_end = date_field(_("Project end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The project cannot end before it starts."))
        return data


class ConfirmationForm(StyledVersionedForm):
    chief_executive_name = forms.CharField(label=_("Name of the chief executive (kommunedirektør)"), max_length=200)
    confirm = forms.BooleanField(
        label=_("The chief executive has read and approved this application, and confirms that it may be sent.")
    )


class AttachmentForm(StyledForm):
    title = forms.CharField(label=_("What the document is"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, OpenDocument, PNG or JPEG, at most 20 MB."))


# The office's side


class ReturnForm(StyledForm):
    """Sending an application or a report back: what must be corrected."""

    reason = forms.CharField(label=_("What must be corrected"), widget=text_area(3))


class DeadlineForm(StyledForm):
    """Moving an open call's deadline: later only; municipalities with a started application are told."""

    deadline = date_field(_("New deadline (last day to submit)"))


class QuestionForm(StyledForm):
    question = forms.CharField(label=_("Question to the municipality"), widget=text_area(3))


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("Your answer"), widget=text_area(3))


class PublicationForm(forms.Form):
    publish = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", empty_value=None, required=True
    )


class ConflictForm(StyledForm):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest in this application?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("If yes: what is the conflict?"), widget=text_area(2), required=False)


SCORES = [(str(n), str(n)) for n in range(6)]


class ScoreForm(StyledForm):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    recommended_amount = _amount(_("Recommended amount, if lower (NOK)"), required=False)
    text = forms.CharField(label=_("Reasons for the recommendation"), widget=text_area(4))

    def __init__(self, *args: Any, criteria: list[Any], review: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = {s.criterion_id: s for s in review.scores.all()} if review is not None else {}
        self.criteria = criteria
        scored: dict[str, forms.Field] = {}
        for c in criteria:
            old = existing.get(c.pk)
            scored[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=_("Score for “%(criterion)s” (0–5)") % {"criterion": c.name},
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=str(old.score) if old else None,
            )
            scored[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": c.name},
                widget=text_area(2),
                required=False,
                initial=old.comment if old else "",
            )
        self.fields = {**scored, **self.fields}
        style(self)
        if review is not None:
            self.initial.update(
                {
                    "recommendation": review.recommendation,
                    "recommended_amount": review.recommended_amount,
                    "text": review.recommendation_text,
                }
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria}


class DecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    amount = _amount(_("Amount awarded (NOK)"), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=text_area(5))
    conditions = forms.CharField(label=_("Conditions"), widget=text_area(3), required=False)
    interim_report_due = date_field(_("Interim report due (optional)"), required=False)
    final_report_due = date_field(_("Final report due"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "approve":
            if not data.get("amount"):
                self.add_error("amount", _("Give the amount awarded."))
            if not data.get("final_report_due"):
                self.add_error("final_report_due", _("Give the final report's due date."))
        return data


# Projects and reports


class ReportForm(StyledVersionedForm):
    what_was_done = forms.CharField(label=_("What was done"), widget=text_area(6), required=False)
    results = forms.CharField(label=_("Results"), widget=text_area(6), required=False)
    money_spent = _amount(_("Money spent (NOK)"), required=False)
    lessons_learned = forms.CharField(label=_("Lessons learned"), widget=text_area(5), required=False)
    spending_explanation = forms.CharField(
        label=_("Why the spending differs from the grant"),
        help_text=_("Needed when more than the grant is spent, or (in the final report) less than 80 per cent of it."),
        widget=text_area(3),
        required=False,
    )


class ChangeRequestForm(StyledForm):
    description = forms.CharField(label=_("What should change, and why"), widget=text_area(4))
    new_period_end = date_field(_("New project end (optional)"), required=False)
    new_final_report_due = date_field(_("New due date for the final report (optional)"), required=False)


class ChangeDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=text_area(2), required=False)


# The public list


class PublicFilterForm(StyledForm):
    office = forms.ChoiceField(label=_("County Governor"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["office"].choices = everything + [(o.code, o.name) for o in choices["offices"]]  # type: ignore[attr-defined]
        self.fields["county"].choices = everything + [(c.number, c.name) for c in choices["counties"]]  # type: ignore[attr-defined]
        self.fields["municipality"].choices = everything + [(m.number, m.name) for m in choices["municipalities"]]  # type: ignore[attr-defined]
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in choices["years"]]  # type: ignore[attr-defined]
        self.fields["theme"].choices = everything + list(choices["themes"])  # type: ignore[attr-defined]
