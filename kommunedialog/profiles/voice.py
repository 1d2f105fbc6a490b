"""The municipality's voice: its own improvement goals per chapter and a comment beside its published
kommunebilde. The published snapshot never changes; the words are kept beside it, written only by the
municipality's own users, versioned (a second save from an old version gets both versions back), and
audited as public content, so the public page's cache shows them at once (core.pagecache)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.core import audit
from kommunedialog.core.actors import Actor, is_person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.refusal import Refused
from kommunedialog.profiles.models import MunicipalityVoice, PublishedProfile


def chapters(snapshot: PublishedProfile) -> list[str]:
    """The chapter titles of the published kommunebilde, in its order."""
    return [str(d.get("title", "")) for d in snapshot.content.get("domains", [])]


def voice_for(snapshot: PublishedProfile) -> MunicipalityVoice | None:
    # The public pages load the words with the snapshot (select_related("voice")): no query of their own.
    if PublishedProfile.voice.is_cached(snapshot):
        try:
            return snapshot.voice
        except MunicipalityVoice.DoesNotExist:
            return None
    return MunicipalityVoice.objects.filter(snapshot=snapshot).first()


def voice_save(
    *,
    snapshot: PublishedProfile,
    actor: Actor,
    expected_version: int,
    goals: Mapping[int, str],
    comment: str,
) -> MunicipalityVoice:
    """Save the municipality's goals (by chapter position) and comment beside ``snapshot``."""
    if not (is_person(actor) and snapshot.municipality_id in access.municipality_ids_for(actor)):
        raise Refused(_("Only the municipality's own users write its words"))
    titles = chapters(snapshot)
    written = [{"title": title, "goal": goals.get(i, "").strip()} for i, title in enumerate(titles)]
    with transaction.atomic():
        # The snapshot's row is the lock (it is never written): two first saves cannot both create.
        PublishedProfile.objects.select_for_update().get(pk=snapshot.pk)
        voice, _created = MunicipalityVoice.objects.select_for_update().get_or_create(snapshot=snapshot)
        before, after = apply_versioned_changes(
            voice, expected_version=expected_version, changes={"goals": written, "comment": comment.strip()}
        )
        voice.updated_by = actor
        voice.save(update_fields=["updated_by", "updated_at"])
        audit.record(actor=actor, obj=voice, action=AuditAction.MUNICIPALITY_VOICE_SAVE, before=before, after=after)
    return voice
