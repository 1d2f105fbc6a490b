"""The one refusal. Guards and services raise ``Refused`` with the reason in the reader's words; views
turn it, and nothing else, into a message next to the form or the button. Permission failures are not
refusals: they stay 404/403 (``Http404``, ``PermissionDenied``)."""

from __future__ import annotations

from django.utils.functional import Promise

type Reason = str | Promise


class Refused(Exception):
    """A move the rules do not allow now. ``reason`` is translatable text; ``field`` names the form field
    the reason belongs beside, when it belongs to one; ``action`` is the workflow action refused."""

    def __init__(self, reason: Reason, *, field: str | None = None, action: str | None = None) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.field = field
        self.action = action

    def __str__(self) -> str:
        return str(self.reason)
