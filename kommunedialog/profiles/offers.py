"""The steps a person can take on the follow-up actions a page shows, each with its button or reason."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.urls import reverse

from kommunedialog.core.actors import Actor
from kommunedialog.core.submission import Offer, offers
from kommunedialog.profiles.forms import FollowUpNoteForm
from kommunedialog.profiles.models import FollowUpAction
from kommunedialog.profiles.workflow import FOLLOW_UP

# Steps with a form of their own: dropping an action says why.
NOTE_STEPS = frozenset({"drop"})


def note_form(action: FollowUpAction, step: str, data: Any = None) -> FollowUpNoteForm:
    return FollowUpNoteForm(data, auto_id=f"f{action.pk}_{step}_%s")


def follow_up_rows(
    actions: Iterable[FollowUpAction],
    actor: Actor,
    bound: Mapping[tuple[int, str], forms.BaseForm] | None = None,
) -> list[tuple[FollowUpAction, list[Offer]]]:
    """Each action with its next steps for ``actor``; a step that failed keeps its bound form."""
    bound = bound or {}
    rows = []
    for action in actions:
        steps = [s for s in FOLLOW_UP.allowed(action, actor) if s.yours]
        rows.append(
            (
                action,
                offers(
                    steps,
                    url=functools.partial(_step_url, action.pk),
                    step_forms={
                        s.action: bound.get((action.pk, s.action)) or note_form(action, s.action)
                        for s in steps
                        if s.action in NOTE_STEPS
                    },
                ),
            )
        )
    return rows


def _step_url(pk: int, step: str) -> str:
    return reverse("profiles:follow_up_step", args=[pk, step])
