"""The states of a kommunebilde, apart from the table that moves between them, so that models, the
workflow and the pages can all name them without importing each other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Internal quality check")
    CONSULTATION = "consultation", _("On consultation")
    CONSULTATION_CLOSED = "consultation_closed", _("Consultation closed")
    MEETING_HELD = "meeting_held", _("Meeting held")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# While a profile is in these states its texts and ratings may change: before consultation, and after
# it from the dialogue (Trøndelag's practice), never after publication.
EDITABLE = frozenset({State.DRAFT, State.REVIEW, State.CONSULTATION_CLOSED, State.MEETING_HELD})
