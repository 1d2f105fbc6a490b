"""Feedback on the pages ("Did you find what you were looking for?"): the form every page carries in its
layout, the one service that stores an answer, the rate limit, and the administrators' summary.

The form sits in the layout (core/templates/core/_feedback.html), outside the page body that
``core.pagecache`` stores, so a cached page still gets the reader's own CSRF token and path. Nothing
personal is kept: the rate limit counts per client in the cache under a keyed hash of the address and
the hour, which is never written to the database and expires with the hour. An anonymous answer has no
actor for the audit trail and changes nothing anyone relies on; the row itself is the record.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.refusal import Refused
from kommunedialog.publicsite.models import COMMENT_MAX, PageFeedback

RATE_LIMIT = 10  # answers per client and hour
LATEST_COMMENTS = 5


class FeedbackForm(forms.Form):
    path = forms.CharField(max_length=2000, widget=forms.HiddenInput)
    found = forms.TypedChoiceField(
        label=_("Did you find what you were looking for?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What were you looking for? (optional)"),
        help_text=_("Do not write names or other personal information. We cannot answer here."),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )


def clean_path(raw: str) -> str:
    """A path of this site without query or fragment; ``Refused`` for anything else."""
    parts = urlsplit(raw.strip())
    path = parts.path
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//") or len(path) > 300:
        raise Refused(_("Feedback can only be given on a page of this site."), field="path")
    try:
        resolve(path)
    except Resolver404:
        raise Refused(_("Feedback can only be given on a page of this site."), field="path") from None
    return path


def _client_key(address: str) -> str:
    hour = int(time.time() // 3600)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{address}|{hour}".encode()).hexdigest()[:32]
    return f"feedback-rate:{digest}"


def over_limit(address: str) -> bool:
    """Count one answer from this client in this hour; True once it has given more than ``RATE_LIMIT``."""
    key = _client_key(address)
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > RATE_LIMIT


@transaction.atomic
def feedback_give(*, path: str, found: bool, comment: str, language: str) -> PageFeedback:
    """Store one reader's answer about one page."""
    return PageFeedback.objects.create(
        path=clean_path(path),
        found=found,
        comment=comment.strip()[:COMMENT_MAX],
        language=language[:8],
        given_on=timezone.localdate(),
    )


@dataclass
class PageSummary:
    path: str
    yes: int = 0
    no: int = 0
    latest: list[PageFeedback] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.yes + self.no


def summary() -> list[PageSummary]:
    """Per page, alphabetically by path: how many said yes and no, and the latest comments."""
    pages: dict[str, PageSummary] = defaultdict(lambda: PageSummary(""))
    for item in PageFeedback.objects.order_by("-given_on", "-pk").iterator():
        page = pages[item.path]
        page.path = item.path
        if item.found:
            page.yes += 1
        else:
            page.no += 1
        if item.comment and len(page.latest) < LATEST_COMMENTS:
            page.latest.append(item)
    return [pages[p] for p in sorted(pages)]
