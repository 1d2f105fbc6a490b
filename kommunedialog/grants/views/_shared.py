"""What the grants views share: turning a refusal into a message the person can act on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kommunedialog.grants.workflow import TransitionRefused

# What a service raises when the move is not allowed now: shown as a message, nothing changed.
REFUSALS = (TransitionRefused, PermissionDenied, ValueError)


def refusal_text(exc: Exception) -> str:
    if isinstance(exc, TransitionRefused):
        return exc.reason
    if isinstance(exc, PermissionDenied):
        return _("Your role does not allow this")
    return str(exc)


def refuse(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, refusal_text(exc))
