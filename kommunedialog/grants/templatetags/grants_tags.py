"""Template helpers of Prosjektskjønn: amounts in kroner, the menu entries per role, and the public
grants of a municipality (for the partial on the municipality's public page)."""

from __future__ import annotations

from typing import Any

from django import template

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
from kommunedialog.grants import public
from kommunedialog.grants.budget import format_nok

register = template.Library()


@register.filter
def nok(amount: int | None) -> str:
    return format_nok(amount)


@register.inclusion_tag("grants/_nav_items.html", takes_context=True)
def grants_nav_items(context: dict[str, Any]) -> dict[str, Any]:
    """The menu entries: the public list for everyone, the case portal for the roles that work in it."""
    user = context.get("user")
    works_with_grants = user is not None and access.has_role(
        user, Role.MUNICIPALITY_USER, Role.STAFF, Role.COORDINATOR, Role.MINISTRY
    )
    return {"works_with_grants": works_with_grants}


@register.simple_tag
def awarded_grants(municipality: Any) -> list[public.PublicGrant]:
    return public.awarded_for_municipality(municipality)
