"""What readers tell us about the public pages. Stored without personal data: no user, no address, no
time of day — the page's path (without its query, which may hold a search), yes or no, an optional short
comment, the page language and the date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 500


class PageFeedback(models.Model):
    path = models.CharField(_("page"), max_length=300, db_index=True)
    found = models.BooleanField(_("found what they were looking for"))
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    given_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")

    def __str__(self) -> str:
        return f"{self.path} {'yes' if self.found else 'no'}"
