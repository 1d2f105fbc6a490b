"""Prosjektskjønn: calls per office and year, applications with their budget, assessment and decision,
and the projects (with reports and change requests) that approved applications become.

Amounts are whole Norwegian kroner. Texts that may reach the public site are the call's texts, an
approved application's title and summary (when the office has checked and flagged it), published
reports and flagged attachments; everything else stays inside the case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.core.concurrency import VersionedModel
from kommunedialog.core.domains import Domain
from kommunedialog.core.languages import localised
from kommunedialog.core.models import StoredFile
from kommunedialog.grants.budget import Budget, FundingRules
from kommunedialog.grants.states import (
    ApplicationState,
    CallState,
    ChangeRequestState,
    ProjectState,
    ReportState,
)
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.registry.organisation_number import validate_organisation_number


class Theme(models.TextChoices):
    """The national themes calls choose from, so that awarded grants can be compared across offices."""

    SERVICE_INNOVATION = "service_innovation", gettext_lazy("Service innovation")
    DIGITALISATION = "digitalisation", gettext_lazy("Digitalisation")
    COOPERATION = "cooperation", gettext_lazy("Inter-municipal cooperation")
    CLIMATE_ENVIRONMENT = "climate_environment", gettext_lazy("Climate and environment")
    CIVIL_PROTECTION = "civil_protection", gettext_lazy("Civil protection and emergency preparedness")
    COMPETENCE = "competence", gettext_lazy("Competence and recruitment")
    PUBLIC_HEALTH = "public_health", gettext_lazy("Public health")
    COMMUNITY_DEVELOPMENT = "community_development", gettext_lazy("Community development")


def in_language(nb: str, nn: str) -> str:
    """Nynorsk readers get the nynorsk text; everyone else bokmål (the call has no English text)."""
    return localised({"nb": nb, "nn": nn})


class Call(VersionedModel):
    """A call for applications (utlysning) by one office for one year."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="grant_calls", verbose_name=gettext_lazy("office")
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    title_nb = models.CharField(gettext_lazy("title (bokmål)"), max_length=200)
    title_nn = models.CharField(gettext_lazy("title (nynorsk)"), max_length=200)
    description_nb = models.TextField(gettext_lazy("description (bokmål)"))
    description_nn = models.TextField(gettext_lazy("description (nynorsk)"))
    frame = models.PositiveBigIntegerField(gettext_lazy("budget frame (NOK)"))
    deadline = models.DateField(gettext_lazy("deadline"), help_text=gettext_lazy("The last day to submit."))
    min_own_share_percent = models.PositiveSmallIntegerField(gettext_lazy("minimum own share (%)"), default=0)
    min_amount = models.PositiveBigIntegerField(gettext_lazy("minimum amount applied for (NOK)"), default=0)
    themes = models.JSONField(gettext_lazy("themes"), default=list)
    state = models.CharField(gettext_lazy("state"), max_length=20, choices=CallState.choices, default=CallState.DRAFT)
    # Kept by the approval service inside the call's row lock: the sum of approved amounts, which the
    # frame bounds (and a database check repeats).
    approved_total = models.PositiveBigIntegerField(gettext_lazy("approved in total (NOK)"), default=0)
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    published_at = models.DateTimeField(gettext_lazy("published"), null=True, blank=True)
    closed_at = models.DateTimeField(gettext_lazy("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "office__name", "pk"]
        verbose_name = gettext_lazy("call")
        verbose_name_plural = gettext_lazy("calls")
        constraints = [
            models.CheckConstraint(condition=Q(min_own_share_percent__lte=100), name="call_own_share_percent"),
            models.CheckConstraint(condition=Q(approved_total__lte=models.F("frame")), name="call_within_frame"),
        ]

    def __str__(self) -> str:
        return f"{self.office.name}: {self.title_nb}"

    @property
    def title(self) -> str:
        return in_language(self.title_nb, self.title_nn)

    @property
    def description(self) -> str:
        return in_language(self.description_nb, self.description_nn)

    @property
    def rules(self) -> FundingRules:
        return FundingRules(self.frame, self.min_own_share_percent, self.min_amount)

    @property
    def remaining(self) -> int:
        return self.frame - self.approved_total

    @property
    def is_open(self) -> bool:
        return self.state == CallState.PUBLISHED and timezone.localdate() <= self.deadline

    def theme_labels(self) -> list[str]:
        return [str(Theme(t).label) for t in self.themes if t in Theme.values]

    def grant_scope(self) -> tuple[Office, Municipality | None]:
        return self.office, None

    def publication_problems(self) -> list[str]:
        problems = []
        if not all(t.strip() for t in (self.title_nb, self.title_nn, self.description_nb, self.description_nn)):
            problems.append(_("Title and description are needed in both bokmål and nynorsk"))
        if self.frame <= 0:
            problems.append(_("The budget frame must be more than zero"))
        if self.deadline <= timezone.localdate():
            problems.append(_("The deadline must be in the future"))
        if not self.themes:
            problems.append(_("Choose at least one theme"))
        criteria = list(self.criteria.all())
        if not criteria:
            problems.append(_("Add at least one assessment criterion"))
        elif sum(c.weight for c in criteria) != 100:
            problems.append(
                _("The criteria's weights add up to %(sum)s %%, not 100 %%") % {"sum": sum(c.weight for c in criteria)}
            )
        if any(not (c.name_nb.strip() and c.name_nn.strip()) for c in criteria):
            problems.append(_("Every criterion needs a name in both bokmål and nynorsk"))
        return problems


class Criterion(models.Model):
    """An assessment criterion of a call, with its weight in per cent."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name_nb = models.CharField(gettext_lazy("criterion (bokmål)"), max_length=200)
    name_nn = models.CharField(gettext_lazy("criterion (nynorsk)"), max_length=200)
    weight = models.PositiveSmallIntegerField(gettext_lazy("weight (%)"))
    position = models.PositiveSmallIntegerField(gettext_lazy("position"))

    class Meta:
        ordering = ["call", "position"]
        verbose_name = gettext_lazy("criterion")
        verbose_name_plural = gettext_lazy("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="criterion_position_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_1_100"),
        ]

    def __str__(self) -> str:
        return self.name_nb

    @property
    def name(self) -> str:
        return in_language(self.name_nb, self.name_nn)


class Application(VersionedModel):
    """An application by one municipality (the lead), possibly together with partner municipalities."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=gettext_lazy("call")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=gettext_lazy("lead municipality"),
    )
    partners = models.ManyToManyField(
        Municipality, blank=True, related_name="grant_partnerships", verbose_name=gettext_lazy("partners")
    )
    state = models.CharField(
        gettext_lazy("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    # Step: applicant. The contact person is personal data and never leaves the case.
    organisation_number = models.CharField(
        gettext_lazy("organisation number"), max_length=9, blank=True, validators=[validate_organisation_number]
    )
    contact_name = models.CharField(gettext_lazy("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(gettext_lazy("contact e-mail"), blank=True)
    contact_phone = models.CharField(gettext_lazy("contact telephone"), max_length=30, blank=True)
    # Steps: project, challenges and goals, sectors and instruments.
    title = models.CharField(gettext_lazy("project title"), max_length=200, blank=True)
    summary = models.TextField(gettext_lazy("summary"), blank=True)
    theme = models.CharField(gettext_lazy("theme"), max_length=30, choices=Theme.choices, blank=True)
    challenges = models.TextField(gettext_lazy("challenges"), blank=True)
    goals = models.TextField(gettext_lazy("goals"), blank=True)
    sectors = models.JSONField(gettext_lazy("sectors"), default=list, blank=True)
    instruments = models.TextField(gettext_lazy("instruments"), blank=True)
    # Step: budget (the cost lines are rows of CostLine).
    own_share = models.PositiveBigIntegerField(gettext_lazy("own share (NOK)"), default=0)
    other_funding = models.PositiveBigIntegerField(gettext_lazy("other funding (NOK)"), default=0)
    amount_applied = models.PositiveBigIntegerField(gettext_lazy("amount applied for (NOK)"), default=0)
    # Step: period.
    period_start = models.DateField(gettext_lazy("project start"), null=True, blank=True)
    period_end = models.DateField(gettext_lazy("project end"), null=True, blank=True)
    # Step: the chief executive's confirmation, valid for the version it was given for.
    chief_executive_name = models.CharField(gettext_lazy("chief executive"), max_length=200, blank=True)
    confirmed_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(gettext_lazy("confirmed"), null=True, blank=True)
    # Publication: the office checks the title and summary for personal data before anything goes online.
    publish = models.BooleanField(gettext_lazy("publish title and summary"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(gettext_lazy("first submitted"), null=True, blank=True)

    class Meta:
        ordering = ["call", "pk"]
        verbose_name = gettext_lazy("application")
        verbose_name_plural = gettext_lazy("applications")
        indexes = [models.Index(fields=["state", "publish"])]

    def __str__(self) -> str:
        return f"{self.municipality.name_norwegian}: {self.title or _('Untitled application')}"

    @property
    def display_title(self) -> str:
        return self.title or _("Untitled application")

    def grant_scope(self) -> tuple[Office, Municipality | None]:
        return self.call.office, self.municipality

    def budget(self) -> Budget:
        return Budget.of(
            (line.amount for line in self.cost_lines.all()),
            own_share=self.own_share,
            other_funding=self.other_funding,
            amount_applied=self.amount_applied,
        )

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_version is not None and self.confirmed_version == self.version

    def submission_problems(self) -> list[str]:
        """What must be filled in or corrected before the application can be sent."""
        required = {
            "title": _("project title"),
            "summary": _("summary"),
            "theme": _("theme"),
            "challenges": _("challenges"),
            "goals": _("goals"),
            "instruments": _("instruments"),
            "contact_name": _("contact person"),
            "chief_executive_name": _("chief executive"),
        }
        missing = [label for name, label in required.items() if not str(getattr(self, name)).strip()]
        if not self.sectors:
            missing.append(_("sectors"))
        if not (self.period_start and self.period_end):
            missing.append(_("project period"))
        problems = [_("Fill in: %(fields)s") % {"fields": ", ".join(missing)}] if missing else []
        if self.theme and self.theme not in self.call.themes:
            problems.append(_("The theme is not one of the call's themes"))
        if self.period_start and self.period_end and self.period_end < self.period_start:
            problems.append(_("The project cannot end before it starts"))
        problems.extend(self.budget().problems(self.call.rules))
        if not self.is_confirmed:
            problems.append(_("The chief executive must confirm this version of the application"))
        return problems

    def sector_labels(self) -> list[str]:
        return [str(Domain(s).label) for s in self.sectors if s in Domain.values]


class CostLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cost_lines")
    description = models.CharField(gettext_lazy("cost"), max_length=200)
    amount = models.PositiveBigIntegerField(gettext_lazy("amount (NOK)"))
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["application", "position"]
        verbose_name = gettext_lazy("cost line")
        verbose_name_plural = gettext_lazy("cost lines")

    def __str__(self) -> str:
        return self.description


class Attachment(models.Model):
    """A document attached to an application. Public only when the office flags it and the grant is public."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(gettext_lazy("title"), max_length=200)
    publish = models.BooleanField(gettext_lazy("publish"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(gettext_lazy("added"), auto_now_add=True)

    class Meta:
        ordering = ["application", "added_at", "pk"]
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")

    def __str__(self) -> str:
        return self.title


class MessageKind(models.TextChoices):
    RETURN_FOR_CORRECTION = "return_for_correction", gettext_lazy("Returned for correction")
    INFORMATION_REQUEST = "information_request", gettext_lazy("Request for more information")
    INFORMATION_ANSWER = "information_answer", gettext_lazy("Answer with more information")


class Message(models.Model):
    """What the office asked for and what the applicant answered, in the order it happened."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(gettext_lazy("kind"), max_length=30, choices=MessageKind.choices)
    text = models.TextField(gettext_lazy("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = gettext_lazy("message")
        verbose_name_plural = gettext_lazy("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class Recommendation(models.TextChoices):
    APPROVE = "approve", gettext_lazy("Approve the amount applied for")
    APPROVE_REDUCED = "approve_reduced", gettext_lazy("Approve a lower amount")
    REJECT = "reject", gettext_lazy("Reject")


class Review(models.Model):
    """One staff member's assessment of one application: the conflict-of-interest declaration first,
    then a score per criterion and a recommendation. A reviewer with a conflict cannot score."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflict = models.BooleanField(gettext_lazy("conflict of interest"), null=True)
    conflict_note = models.TextField(gettext_lazy("about the conflict of interest"), blank=True)
    declared_at = models.DateTimeField(gettext_lazy("declared"), null=True, blank=True)
    recommendation = models.CharField(
        gettext_lazy("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    recommended_amount = models.PositiveBigIntegerField(gettext_lazy("recommended amount (NOK)"), null=True)
    recommendation_text = models.TextField(gettext_lazy("reasons for the recommendation"), blank=True)
    updated_at = models.DateTimeField(gettext_lazy("updated"), auto_now=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = gettext_lazy("review")
        verbose_name_plural = gettext_lazy("reviews")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.application}: {self.reviewer}"

    @property
    def may_score(self) -> bool:
        return self.conflict is False

    @property
    def is_complete(self) -> bool:
        criteria = {c.pk for c in self.application.call.criteria.all()}
        scored = {s.criterion_id for s in self.scores.all()}
        return self.may_score and bool(self.recommendation) and bool(criteria) and criteria <= scored

    def weighted_score(self) -> float | None:
        """The weighted mean on the 0–5 scale, for the office's own comparison of its applications."""
        scores = list(self.scores.all())  # the panel prefetches scores__criterion
        weight = sum(s.criterion.weight for s in scores)
        return round(sum(s.score * s.criterion.weight for s in scores) / weight, 2) if weight else None


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(gettext_lazy("score (0–5)"))
    comment = models.TextField(gettext_lazy("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__position"]
        verbose_name = gettext_lazy("score")
        verbose_name_plural = gettext_lazy("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_0_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Outcome(models.TextChoices):
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")


class Decision(models.Model):
    """The office's reasoned decision; written once, with the letter's language fixed at that moment."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(gettext_lazy("outcome"), max_length=10, choices=Outcome.choices)
    amount = models.PositiveBigIntegerField(gettext_lazy("amount awarded (NOK)"), default=0)
    reasons = models.TextField(gettext_lazy("reasons"))
    conditions = models.TextField(gettext_lazy("conditions"), blank=True)
    interim_report_due = models.DateField(gettext_lazy("interim report due"), null=True, blank=True)
    final_report_due = models.DateField(gettext_lazy("final report due"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(gettext_lazy("decided"))
    language = models.CharField(gettext_lazy("language of the letter"), max_length=2)

    class Meta:
        verbose_name = gettext_lazy("decision")
        verbose_name_plural = gettext_lazy("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="rejected", amount=0) | Q(outcome="approved", amount__gt=0),
                name="decision_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


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

    def submission_problems(self) -> list[str]:
        required: dict[str, Any] = {
            _("what was done"): self.what_was_done.strip(),
            _("results"): self.results.strip(),
            _("money spent"): self.money_spent is not None,
            _("lessons learned"): self.lessons_learned.strip(),
        }
        missing = [str(label) for label, present in required.items() if not present]
        return [_("Fill in: %(fields)s") % {"fields": ", ".join(missing)}] if missing else []


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
