"""What an approved application becomes: the project, its reports and reminders, and change requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.core.concurrency import VersionedModel
from kommunedialog.grants.budget import format_nok
from kommunedialog.grants.models.applications import Application
from kommunedialog.grants.states import ChangeRequestState, ProjectState, ReportState
from kommunedialog.registry.models import Municipality, Office


class Project(models.Model):
    """What an approved application becomes: the money, the period and the reports owed."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    state = models.CharField(
        gettext_lazy("state"), max_length=30, choices=ProjectState.choices, default=ProjectState.ACTIVE
    )
    amount_awarded = models.PositiveBigIntegerField(gettext_lazy("amount awarded (NOK)"))
    period_start = models.DateField(gettext_lazy("project start"))
    period_end = models.DateField(gettext_lazy("project end"))
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    closed_at = models.DateTimeField(gettext_lazy("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = gettext_lazy("project")
        verbose_name_plural = gettext_lazy("projects")

    def __str__(self) -> str:
        return str(self.application)

    def grant_scope(self) -> tuple[Office, Municipality | None]:
        return self.application.call.office, self.application.municipality

    @property
    def final_report(self) -> Report | None:
        return self.reports.filter(kind=ReportKind.FINAL).first()


class ReportKind(models.TextChoices):
    INTERIM = "interim", gettext_lazy("Interim report")
    FINAL = "final", gettext_lazy("Final report")


# A final report that spends less than this share of the grant, or any report that spends more than the
# grant, must explain why (and the office sees it flagged); more than ABSURD_SPENDING_FACTOR times the
# grant is taken for a typing error and refused.
SPENDING_LOW_SHARE_PERCENT = 80
ABSURD_SPENDING_FACTOR = 10


class Report(VersionedModel):
    """An interim or final report. Its content is public once the office publishes it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(gettext_lazy("due"))
    state = models.CharField(
        gettext_lazy("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    what_was_done = models.TextField(gettext_lazy("what was done"), blank=True)
    results = models.TextField(gettext_lazy("results"), blank=True)
    money_spent = models.PositiveBigIntegerField(gettext_lazy("money spent (NOK)"), null=True, blank=True)
    lessons_learned = models.TextField(gettext_lazy("lessons learned"), blank=True)
    # Needed when the money spent is above the grant or well below it (SPENDING_LOW_SHARE).
    spending_explanation = models.TextField(gettext_lazy("why the spending differs from the grant"), blank=True)
    return_reason = models.TextField(gettext_lazy("why it was returned"), blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(gettext_lazy("approved"), null=True, blank=True)
    published_at = models.DateTimeField(gettext_lazy("published"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on", "pk"]
        verbose_name = gettext_lazy("report")
        verbose_name_plural = gettext_lazy("reports")
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(kind="final"), name="report_one_final"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"

    def grant_scope(self) -> tuple[Office, Municipality | None]:
        return self.project.grant_scope()

    @property
    def is_overdue(self) -> bool:
        return self.state in {ReportState.DRAFT, ReportState.RETURNED} and self.due_on < timezone.localdate()

    @property
    def spending_deviation(self) -> str | None:
        """ "over" when the money spent is above the grant, "under" when a final report spends less than
        SPENDING_LOW_SHARE_PERCENT of it, else None."""
        if self.money_spent is None:
            return None
        grant = self.project.amount_awarded
        if self.money_spent > grant:
            return "over"
        if self.kind == ReportKind.FINAL and self.money_spent * 100 < grant * SPENDING_LOW_SHARE_PERCENT:
            return "under"
        return None

    def spending_note(self) -> str:
        """The deviation in words, for the municipality (asked to explain) and the office (flagged)."""
        values = {
            "spent": format_nok(self.money_spent),
            "grant": format_nok(self.project.amount_awarded),
            "share": SPENDING_LOW_SHARE_PERCENT,
        }
        if self.spending_deviation == "over":
            return _("The money spent (NOK %(spent)s) is more than the grant (NOK %(grant)s)") % values
        if self.spending_deviation == "under":
            return _("The money spent (NOK %(spent)s) is less than %(share)s %% of the grant (NOK %(grant)s)") % values
        return ""

    def submission_problems(self) -> list[str]:
        required: dict[str, Any] = {
            _("what was done"): self.what_was_done.strip(),
            _("results"): self.results.strip(),
            _("money spent"): self.money_spent is not None,
            _("lessons learned"): self.lessons_learned.strip(),
        }
        missing = [str(label) for label, present in required.items() if not present]
        problems = [_("Fill in: %(fields)s") % {"fields": ", ".join(missing)}] if missing else []
        if self.spending_deviation and not self.spending_explanation.strip():
            problems.append(_("%(note)s: explain why") % {"note": self.spending_note()})
        return problems


class ReminderKind(models.TextChoices):
    BEFORE = "before", gettext_lazy("Before the due date")
    AFTER = "after", gettext_lazy("After the due date")


class ReportReminder(models.Model):
    """A reminder sent about a report; one of each kind per due date, so the task can run any number of times."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)  # when it was recorded
    # Set once the mail has gone; a reminder recorded but never delivered is sent again by the next run.
    delivered_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("report reminder")
        verbose_name_plural = gettext_lazy("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "due_on"], name="reminder_once_per_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.kind} {self.due_on}"


class ChangeRequest(models.Model):
    """The project asks to change something agreed: the period, the final report's date, or the plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    state = models.CharField(
        gettext_lazy("state"), max_length=20, choices=ChangeRequestState.choices, default=ChangeRequestState.SUBMITTED
    )
    description = models.TextField(gettext_lazy("what should change, and why"))
    new_period_end = models.DateField(gettext_lazy("new project end"), null=True, blank=True)
    new_final_report_due = models.DateField(gettext_lazy("new final report due date"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(gettext_lazy("submitted"), auto_now_add=True)
    decision_reason = models.TextField(gettext_lazy("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(gettext_lazy("decided"), null=True, blank=True)

    class Meta:
        ordering = ["project", "submitted_at", "pk"]
        verbose_name = gettext_lazy("change request")
        verbose_name_plural = gettext_lazy("change requests")

    def __str__(self) -> str:
        return f"{self.project}: {self.description[:40]}"

    def grant_scope(self) -> tuple[Office, Municipality | None]:
        return self.project.grant_scope()
