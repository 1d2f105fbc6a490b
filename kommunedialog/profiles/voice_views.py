"""The municipality writes its own words beside its published kommunebilde:
/kommunebilde/var-kommune/ord/<snapshot_id>/. Its own users only (404 to everyone else)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kommunedialog.accounts import access as account_access
from kommunedialog.core.actors import person
from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.forms import StyledVersionedForm, text_area
from kommunedialog.core.submission import submit
from kommunedialog.profiles import voice
from kommunedialog.profiles.models import MunicipalityVoice, PublishedProfile


class VoiceForm(StyledVersionedForm):
    comment = forms.CharField(
        label=gettext_lazy("Comment on the kommunebilde"),
        required=False,
        max_length=4000,
        widget=text_area(5),
        help_text=gettext_lazy("Shown beside the kommunebilde, marked as the municipality's own words."),
    )

    def __init__(self, *args: Any, chapters: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        for i, title in enumerate(chapters):
            self.fields[f"goal_{i}"] = forms.CharField(
                label=gettext_lazy("Our improvement goal: %(chapter)s") % {"chapter": title},
                required=False,
                max_length=2000,
                widget=text_area(3),
            )
        # Goals first, in the kommunebilde's order, then the comment.
        self.order_fields([*(f"goal_{i}" for i in range(len(chapters))), "comment"])
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "ds-input")

    def goals(self) -> dict[int, str]:
        return {i: self.cleaned_data.get(f"goal_{i}", "") for i in range(len(self.chapters))}


def snapshot_for_municipality(user: Any, snapshot_id: int) -> PublishedProfile:
    """A published kommunebilde of a municipality the user acts for; else 404."""
    snapshot = (
        PublishedProfile.objects.select_related("municipality")
        .filter(pk=snapshot_id, municipality__in=account_access.municipality_ids_for(user))
        .first()
    )
    if snapshot is None:
        raise Http404("No such kommunebilde")
    return snapshot


def _initial(existing: MunicipalityVoice | None) -> dict[str, Any]:
    if existing is None:
        return {"version": 1}
    initial: dict[str, Any] = {"version": existing.version, "comment": existing.comment}
    for i, goal in enumerate(existing.goals):
        initial[f"goal_{i}"] = goal.get("goal", "")
    return initial


def _readable(conflict: EditConflict) -> EditConflict:
    """The goals in a conflict as lines of text, not as stored."""
    for row in conflict.rows:
        for key in ("saved", "submitted"):
            if isinstance(row[key], list):
                row[key] = "\n".join(f"{g['title']}: {g['goal']}" for g in row[key] if g.get("goal"))
    return conflict


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def voice_edit(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = snapshot_for_municipality(request.user, snapshot_id)
    chapters = voice.chapters(snapshot)
    existing = voice.voice_for(snapshot)
    if request.method != "POST":
        form = VoiceForm(initial=_initial(existing), chapters=chapters)
        return render(request, "profiles/voice.html", {"snap": snapshot, "form": form})
    form = VoiceForm(request.POST, chapters=chapters)
    outcome = submit(
        form,
        lambda: voice.voice_save(
            snapshot=snapshot,
            actor=person(request),
            expected_version=form.cleaned_data["version"],
            goals=form.goals(),
            comment=form.cleaned_data["comment"],
        ),
    )
    if outcome.saved:
        messages.success(request, _("Your words are saved and shown beside the kommunebilde."))
        return redirect("publicsite:kommunebilde_show", number=snapshot.municipality.number, snapshot_id=snapshot.pk)
    conflict = _readable(outcome.conflict) if outcome.conflict else None
    return render(
        request, "profiles/voice.html", {"snap": snapshot, "form": form, "conflict": conflict}, status=outcome.status
    )
