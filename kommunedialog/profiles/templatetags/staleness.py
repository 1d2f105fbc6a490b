"""The staleness alert on the profile and cycle pages: ``{% staleness_alerts profile %}`` and
``{% cycle_staleness profiles %}`` (logic in profiles.staleness)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from kommunedialog.profiles import staleness
from kommunedialog.profiles.models import Profile, PublishedProfile

register = template.Library()


def _snapshot(profile: Profile) -> PublishedProfile | None:
    try:
        return profile.snapshot
    except PublishedProfile.DoesNotExist:
        return None


@register.inclusion_tag("profiles/_staleness.html")
def staleness_alerts(profile: Profile) -> dict[str, Any]:
    snapshot = _snapshot(profile)
    return {"alerts": staleness.alerts(snapshot) if snapshot is not None else [], "snapshot": snapshot}


@register.inclusion_tag("profiles/_cycle_staleness.html")
def cycle_staleness(profiles: Iterable[Profile]) -> dict[str, Any]:
    rows = []
    for profile in profiles:
        snapshot = _snapshot(profile)
        found = staleness.alerts(snapshot) if snapshot is not None else []
        if found:
            rows.append((profile, found))
    return {"rows": rows}
