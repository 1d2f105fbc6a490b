"""Optimistic locking, on a throwaway model created for this test."""

from __future__ import annotations

import pytest
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from kommunedialog.core.concurrency import EditConflict, VersionedModel, apply_versioned_changes


@pytest.fixture
def note_model(transactional_db):
    with isolate_apps("tests"):

        class Note(VersionedModel):
            text = models.TextField("justification")
            title = models.CharField("title", max_length=100)

            class Meta:
                app_label = "tests"

    with connection.schema_editor() as editor:
        editor.create_model(Note)
    yield Note
    with connection.schema_editor() as editor:
        editor.delete_model(Note)


def save(model, pk, *, version, **changes):
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=pk)
        return apply_versioned_changes(locked, expected_version=version, changes=changes)


def test_the_second_of_two_edits_from_the_same_version_gets_a_conflict_and_loses_nothing(note_model):
    note = note_model.objects.create(text="Første utkast", title="Barnevern")
    # Two people open the same version 1.
    assert save(note_model, note.pk, version=1, text="Kari sin tekst") == (
        {"text": "Første utkast"},
        {"text": "Kari sin tekst"},
    )
    with pytest.raises(EditConflict) as caught:
        save(note_model, note.pk, version=1, text="Ola sin tekst", title="Barnevern")
    conflict = caught.value
    assert conflict.current_version == 2
    # Both versions are there to compare; only the fields that differ are shown.
    assert conflict.rows == [
        {"field": "text", "label": "justification", "saved": "Kari sin tekst", "submitted": "Ola sin tekst"}
    ]
    note.refresh_from_db()
    assert (note.text, note.version) == ("Kari sin tekst", 2)
    # Ola saves again knowingly, from the version he has now seen.
    save(note_model, note.pk, version=conflict.current_version, text="Ola sin tekst")
    note.refresh_from_db()
    assert (note.text, note.version) == ("Ola sin tekst", 3)
