"""What the kommunebilde adds to a signed-in person's start page (accounts' "My page"), which sits below
this app and so cannot ask for it itself."""

from __future__ import annotations

from typing import Any

from django import template

from kommunedialog.accounts import access
from kommunedialog.profiles.models import Profile
from kommunedialog.profiles.states import State

register = template.Library()


@register.inclusion_tag("profiles/_home_consultations.html", takes_context=True)
def consultations_for_me(context: dict[str, Any]) -> dict[str, Any]:
    """The kommunebilder of the person's own municipalities that are on consultation now."""
    user = context.get("user")
    own = access.municipality_ids_for(user)
    on_consultation = Profile.objects.filter(municipality__in=own, state=State.CONSULTATION).select_related(
        "municipality", "cycle__office"
    )
    return {"on_consultation": on_consultation, "has_municipality": bool(own)}
