"""Optimistic locking for editable documents (assessments, profiles, applications, reports …).

Each document carries a version number. An edit form sends back the version it was loaded with; the
service locks the row, and if the version moved in the meantime it refuses with ``EditConflict``,
which carries both versions so the person can compare and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone saved the document after this edit began."""

    def __init__(self, *, current: models.Model, submitted: Mapping[str, Any], fields: Iterable[str]) -> None:
        fields = list(fields)
        self.current_version: int = current.version  # type: ignore[attr-defined]
        self.rows = [
            {
                "field": name,
                "label": getattr(current._meta.get_field(name), "verbose_name", name),
                "saved": getattr(current, name),
                "submitted": submitted.get(name),
            }
            for name in fields
            if getattr(current, name) != submitted.get(name)
        ]
        super().__init__(f"{current} was changed by someone else (now version {self.current_version})")


def apply_versioned_changes(
    locked: VersionedModel, *, expected_version: int, changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply ``changes`` to a row the caller has locked (select_for_update) and bump its version.

    Returns (before, after) of the fields that changed, for the audit log. Raises EditConflict when
    the row's version is no longer the one the edit started from; then nothing is written.
    """
    if locked.version != expected_version:
        raise EditConflict(current=locked, submitted=changes, fields=changes.keys())
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*changes.keys(), "version"])
    after = {name: getattr(locked, name) for name in changes}
    changed = [name for name in changes if before[name] != after[name]]
    return {n: before[n] for n in changed}, {n: after[n] for n in changed}


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


class VersionedFormMixin(forms.Form):
    """Adds the hidden version field; set its initial value from the document being edited."""

    version = VersionField()
