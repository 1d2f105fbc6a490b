"""Prosjektskjønn: calls per office and year, applications with their budget, assessment and decision,
and the projects (with reports and change requests) that approved applications become.

Amounts are whole Norwegian kroner. Texts that may reach the public site are the call's texts, an
approved application's title and summary (when the office has checked and flagged it), published
reports and flagged attachments; everything else stays inside the case.
"""

from kommunedialog.grants.models.applications import (
    Application,
    Attachment,
    CostLine,
    Decision,
    Message,
    MessageKind,
    Outcome,
    Recommendation,
    Review,
    Score,
)
from kommunedialog.grants.models.calls import (
    Call,
    CaseCounter,
    Criterion,
    Theme,
    in_language,
)
from kommunedialog.grants.models.projects import (
    ABSURD_SPENDING_FACTOR,
    SPENDING_LOW_SHARE_PERCENT,
    ChangeRequest,
    Project,
    ReminderKind,
    Report,
    ReportKind,
    ReportReminder,
)

__all__ = [
    "ABSURD_SPENDING_FACTOR",
    "SPENDING_LOW_SHARE_PERCENT",
    "Application",
    "Attachment",
    "Call",
    "CaseCounter",
    "ChangeRequest",
    "CostLine",
    "Criterion",
    "Decision",
    "Message",
    "MessageKind",
    "Outcome",
    "Project",
    "Recommendation",
    "ReminderKind",
    "Report",
    "ReportKind",
    "ReportReminder",
    "Review",
    "Score",
    "Theme",
    "in_language",
]
