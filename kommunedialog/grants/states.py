"""The states of Prosjektskjønn's documents, apart from the tables that move between them, so that
models, workflows and pages can all name them without importing each other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class CallState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    PUBLISHED = "published", gettext_lazy("Open for applications")
    CLOSED = "closed", gettext_lazy("Closed for applications")
    ALLOCATED = "allocated", gettext_lazy("Allocated")
    ARCHIVED = "archived", gettext_lazy("Archived")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    RETURNED = "returned", gettext_lazy("Returned for correction")
    UNDER_ASSESSMENT = "under_assessment", gettext_lazy("Under assessment")
    INFO_REQUESTED = "info_requested", gettext_lazy("More information requested")
    RECOMMENDED = "recommended", gettext_lazy("Recommended")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


# Applications the office has not decided on yet; a call cannot be allocated while any remain.
UNDECIDED = frozenset(
    {
        ApplicationState.SUBMITTED,
        ApplicationState.RETURNED,
        ApplicationState.UNDER_ASSESSMENT,
        ApplicationState.INFO_REQUESTED,
        ApplicationState.RECOMMENDED,
    }
)


class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    RETURNED = "returned", gettext_lazy("Returned for correction")
    APPROVED = "approved", gettext_lazy("Accepted")
    PUBLISHED = "published", gettext_lazy("Published")


class ProjectState(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    FINAL_REPORT_DELIVERED = "final_report_delivered", gettext_lazy("Final report delivered")
    CLOSED = "closed", gettext_lazy("Closed")


class ChangeRequestState(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")
