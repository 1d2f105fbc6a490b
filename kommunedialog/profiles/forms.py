from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.domains import Domain
from kommunedialog.core.forms import StyledForm, StyledVersionedForm, date_field, style
from kommunedialog.profiles.models import Decision, Owner, Rating, ResponseKind
from kommunedialog.profiles.overview import OverviewFilter, Show
from kommunedialog.registry.models import Municipality

RATED = [(r.value, r.label) for r in Rating]
SPLIT = [("", _("Not split"))] + [(r.value, r.label) for r in Rating if r != Rating.NOT_ASSESSED]


class CycleOpenForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        initial=lambda: _("Kommunebilde %(year)s") % {"year": timezone.localdate().year},
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    consultation_weeks = forms.IntegerField(
        label=_("Consultation period (weeks)"), min_value=1, max_value=12, initial=3
    )
    target_publication = date_field(_("Target publication date"), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities (a visit round)"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to open the cycle for every municipality of the office."),
    )

    def __init__(self, *args: Any, office: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Municipality.objects.current().filter(county__office=office).order_by("name_norwegian")
            if office is not None
            else Municipality.objects.none()
        )
        field.label_from_instance = lambda m: m.name  # type: ignore[method-assign,assignment]


class ChapterForm(StyledForm):
    """One chapter of a cycle: a national domain as it is, renamed or split, or the office's own."""

    include = forms.BooleanField(label=_("Include this chapter"), required=False)
    domain = forms.ChoiceField(
        label=_("National domain"),
        choices=[("", _("None: the office's own chapter")), *Domain.choices],
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the office looks at in this chapter, e.g. “fastlegesituasjonen; rekruttering”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("include") and not (data.get("title") or "").strip():
            self.add_error("title", _("A chapter needs a title."))
        return data


class BaseChapterFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        titles = [f.cleaned_data["title"].strip() for f in self.forms if f.cleaned_data.get("include")]
        if not titles:
            raise forms.ValidationError(_("Include at least one chapter."))
        if len(set(titles)) != len(titles):
            raise forms.ValidationError(_("Two chapters have the same title."))


ChapterFormSet = forms.formset_factory(ChapterForm, formset=BaseChapterFormSet, extra=0, max_num=30)


def included_chapters(formset: forms.BaseFormSet) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    """(national domain or "", title, themes) of a valid formset's included chapters, in order."""
    return [
        (f.cleaned_data["domain"], f.cleaned_data["title"].strip(), f.cleaned_data["themes"].strip())
        for f in formset.forms
        if f.cleaned_data.get("include")
    ]


EXTRA_CHAPTERS = 2


def chapter_initial() -> list[dict[str, Any]]:
    """The national default (BRIEF §2): every domain but reindeer husbandry, which offices add where it
    is practised; then empty rows for the office's own chapters."""
    national = [
        {"include": d != Domain.REINDEER_HUSBANDRY, "domain": d.value, "title": str(d.label), "themes": ""}
        for d in Domain
    ]
    return national + [{"include": False, "domain": "", "title": "", "themes": ""}] * EXTRA_CHAPTERS


class ProfileTextsForm(StyledVersionedForm):
    overall_picture = forms.CharField(
        label=_("Overall picture"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    dialogue_topics = forms.CharField(
        label=_("Topics for the dialogue meeting"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class AssessmentForm(StyledVersionedForm):
    rating = forms.ChoiceField(label=_("Rating"), choices=RATED, widget=forms.RadioSelect)
    competence = forms.ChoiceField(label=_("Competence"), choices=SPLIT, required=False)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=SPLIT, required=False)
    quality = forms.ChoiceField(label=_("Quality"), choices=SPLIT, required=False)
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    departure_reason = forms.CharField(
        label=_("Reason for departing from the signal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("rating") in {Rating.GOOD, Rating.IMPROVEMENT, Rating.VULNERABLE}
            and not data.get("justification", "").strip()
        ):
            self.add_error("justification", _("A rating needs a justification."))
        return data


class ConsultationDeadlineForm(StyledForm):
    # That the deadline lies ahead is the workflow's rule (profiles.workflow.deadline_in_future).
    deadline = date_field(_("Consultation deadline"))


AGREED_ROWS = 3


class MeetingForm(StyledForm):
    """The meeting as one form: date, participants, notes and the follow-up actions agreed in it (up to
    three here; more can be added on the profile page afterwards)."""

    held_on = date_field(_("Date of the meeting"))
    political = forms.CharField(
        label=_("Political participants"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    administrative = forms.CharField(
        label=_("Administrative participants"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    notes = forms.CharField(label=_("Notes from the meeting"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, AGREED_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=_("Agreed action %(n)s") % {"n": n}, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"action_{n}_owner"] = forms.ChoiceField(
                label=_("Owner of action %(n)s") % {"n": n},
                choices=Owner.choices,
                initial=Owner.MUNICIPALITY,
                required=False,
            )
            self.fields[f"action_{n}_due"] = date_field(_("Due date of action %(n)s") % {"n": n}, required=False)
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        actions = []
        for n in range(1, AGREED_ROWS + 1):
            description = (data.pop(f"action_{n}", "") or "").strip()
            owner_party = data.pop(f"action_{n}_owner", "") or Owner.MUNICIPALITY
            due_on = data.pop(f"action_{n}_due", None)
            if not description:
                continue
            if due_on is None:
                if f"action_{n}_due" not in self.errors:
                    self.add_error(f"action_{n}_due", _("An agreed action needs a due date."))
                continue
            actions.append({"description": description, "owner_party": owner_party, "due_on": due_on})
        data["actions"] = actions
        return data


class DecisionForm(StyledForm):
    """The office's decision on one consultation response."""

    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(StyledForm):
    description = forms.CharField(label=_("Agreed action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_party = forms.ChoiceField(label=_("Owner"), choices=Owner.choices, initial=Owner.MUNICIPALITY)
    owner = forms.CharField(label=_("Responsible (optional)"), max_length=200, required=False)
    due_on = date_field(_("Due date"))


class FollowUpNoteForm(StyledForm):
    """A step on a follow-up action; dropping one needs the note (the workflow's rule)."""

    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConsultationResponseForm(StyledForm):
    assessment = forms.TypedChoiceField(label=_("About"), coerce=int, empty_value=None, required=False)
    kind = forms.ChoiceField(label=_("Kind of response"), choices=ResponseKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your response"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, Word, OpenDocument, PNG or JPEG, at most 20 MB."),
    )

    def __init__(self, *args: Any, assessments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("The kommunebilde as a whole"))] + [(a.pk, a.cycle_domain.title) for a in assessments]


class OverviewFilterForm(StyledForm):
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("All")
    )
    show = forms.ChoiceField(label=_("Show"), choices=Show.choices, required=False)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("All domains")), *Domain.choices]  # type: ignore[attr-defined]
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.name} ({m.number})"  # type: ignore[attr-defined]

    def filters(self) -> OverviewFilter:
        """The filters asked for; anything invalid falls back to no filter rather than an error page."""
        if not self.is_valid():
            return OverviewFilter()
        data = self.cleaned_data
        return OverviewFilter(
            domain=Domain(data["domain"]) if data.get("domain") else None,
            municipality=data.get("municipality"),
            show=data.get("show") or Show.RECORDS,
        )
