from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.concurrency import VersionedFormMixin
from kommunedialog.core.domains import Domain
from kommunedialog.profiles.models import Rating, ResponseKind

RATED = [(r.value, r.label) for r in Rating]
SPLIT = [("", _("Not split"))] + [(r.value, r.label) for r in Rating if r != Rating.NOT_ASSESSED]


class CycleOpenForm(forms.Form):
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
    target_publication = forms.DateField(
        label=_("Target publication date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ChapterForm(forms.Form):
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


class ProfileTextsForm(VersionedFormMixin):
    overall_picture = forms.CharField(
        label=_("Overall picture"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    dialogue_topics = forms.CharField(
        label=_("Topics for the dialogue meeting"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class AssessmentForm(VersionedFormMixin):
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


class ConsultationDeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("Consultation deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_deadline(self) -> dt.date:
        deadline: dt.date = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"}))
    political = forms.CharField(
        label=_("Political participants"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    administrative = forms.CharField(
        label=_("Administrative participants"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    notes = forms.CharField(label=_("Notes from the meeting"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Agreed action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class ConsultationResponseForm(forms.Form):
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
