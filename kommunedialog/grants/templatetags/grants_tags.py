"""Template helpers of Prosjektskjønn: amounts in kroner and the menu entries per role."""

from __future__ import annotations

from typing import Any

from django import template

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
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
