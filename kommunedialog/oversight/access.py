"""Permission-checked getters for the oversight pages. Oversight evidence is internal to the office
whose area the municipality lies in: anyone else gets 404, as if it did not exist."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kommunedialog.accounts import access
from kommunedialog.oversight.models import Supervision
from kommunedialog.registry.models import Municipality, Office


def office_for_oversight(user: Any, code: str) -> Office:
    """The office ``code`` if the user is its staff or coordinator; else 404."""
    return access.office_for_member(user, code)


def municipality_for_oversight(user: Any, office: Office, number: str) -> Municipality:
    """The current municipality ``number`` in ``office``'s area, for a member of that office; else 404."""
    municipality = access.municipality_for_office_member(user, number)
    if municipality.office != office:
        raise Http404("No such municipality")
    return municipality


def supervision_for_oversight(user: Any, office: Office, pk: int) -> Supervision:
    """A supervision of a municipality in ``office``'s area, for a member of that office; else 404."""
    supervision = Supervision.objects.select_related("municipality__county__office").filter(pk=pk).first()
    if supervision is None or supervision.municipality.office != office or not access.is_office_member(user, office):
        raise Http404("No such supervision")
    return supervision
