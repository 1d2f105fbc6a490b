"""The municipality's own words beside a published kommunebilde, marked as its words and not the
County Governor's: ``{% municipality_voice snap %}`` on the public pages and the staff page."""

from __future__ import annotations

from typing import Any

from django import template

from kommunedialog.profiles.models import Profile, PublishedProfile
from kommunedialog.profiles.voice import voice_for

register = template.Library()


@register.inclusion_tag("profiles/_voice.html")
def municipality_voice(snap: Any, heading_level: int = 3) -> dict[str, Any]:
    """``snap`` is a published kommunebilde, or (on the staff page) the profile it was published from."""
    if isinstance(snap, Profile):
        snap = PublishedProfile.objects.select_related("municipality").filter(profile=snap).first()
    found = voice_for(snap) if snap is not None else None
    return {"snap": snap, "voice": None if found is None or found.is_empty else found, "level": heading_level}
