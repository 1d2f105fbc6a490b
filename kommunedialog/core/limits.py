"""How long a free text may be, sized to real use, and the check that refuses a longer one wherever it
comes from: a form shows the limit beside the field and keeps the text; a service, a task or the admin
saving a model is refused before anything is written (``refuse_overlong``, a pre-save check on every
model of the project).

A text field not named here gets ``DEFAULT`` (so a new field is capped the day it is added); a field
with its own ``max_length`` keeps it. Texts the system writes itself (mail bodies, map outlines) are
not free text and are left out.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.refusal import Refused

DEFAULT = 20_000
NAME = 200

# By field name: the same kind of text has the same limit in every model and form.
BY_NAME: dict[str, int] = {
    "justification": 10_000,
    "departure_reason": 2_000,
    "overall_picture": 20_000,
    "dialogue_topics": 10_000,
    "meeting_political": 2_000,
    "meeting_administrative": 2_000,
    "meeting_notes": 20_000,
    "decision_reason": 10_000,
    "return_reason": 5_000,
    "reason": 5_000,
    "reasons": 10_000,
    "conditions": 10_000,
    "summary": 5_000,
    "comment": 5_000,
    "conflict_note": 2_000,
    "note": 2_000,
    "question": 5_000,
    "answer": 10_000,
    "title": NAME,
    "name": NAME,
}

# model label → fields the system fills, never a person.
SYSTEM_TEXT: dict[str, frozenset[str]] = {
    "core.OutboxMail": frozenset({"body", "last_error"}),
    "registry.Boundary": frozenset({"path"}),
}


def cap(name: str, declared: int | None = None) -> int:
    return declared or BY_NAME.get(name, DEFAULT)


TOO_LONG = _("At most %(limit_value)s characters; this text has %(show_value)s. Shorten it and save again.")


def too_long(length: int, limit: int) -> str:
    return str(TOO_LONG) % {"limit_value": limit, "show_value": length}


def refuse_overlong(sender: type[models.Model], instance: models.Model, update_fields: Any = None, **_: Any) -> None:
    """A pre-save check: refuse (``Refused`` with the field) a text longer than its cap."""
    if not sender.__module__.startswith("kommunedialog."):
        return
    exempt = SYSTEM_TEXT.get(sender._meta.label, frozenset())
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.name in exempt:
            continue
        if update_fields is not None and field.name not in update_fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            limit = cap(field.name, field.max_length)
            if len(value) > limit:
                raise Refused(too_long(len(value), limit), field=field.name)


def cap_form(form: forms.BaseForm) -> None:
    """Give every text field of ``form`` its cap, so a longer text is an error beside the field (the
    text stays in the field)."""
    for name, field in form.fields.items():
        if type(field) is forms.CharField and field.max_length is None:
            field.max_length = cap(name)
            field.validators.append(MaxLengthValidator(field.max_length, message=TOO_LONG))
