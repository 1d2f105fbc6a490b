"""Applications with their budget, attachments and messages, the assessment, and the decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.core.concurrency import VersionedModel
from kommunedialog.core.domains import Domain
from kommunedialog.core.models import StoredFile
from kommunedialog.grants.budget import Budget
from kommunedialog.grants.models.calls import Call, Criterion, Theme
from kommunedialog.grants.states import ApplicationState
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.registry.organisation_number import validate_organisation_number


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
    # The office's case number ("2026/14"), given at the first submission (see CaseCounter).
    case_reference = models.CharField(gettext_lazy("case reference"), max_length=20, blank=True, editable=False)

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
    # What the letter must say under forvaltningsloven §§ 24–27, fixed at the decision: the case's
    # reference, the case officer the municipality may contact, and the assessment the reasons rest on.
    case_reference = models.CharField(gettext_lazy("case reference"), max_length=20, blank=True)
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_officer_name = models.CharField(gettext_lazy("case officer"), max_length=200, blank=True)
    case_officer_email = models.EmailField(gettext_lazy("case officer's e-mail"), blank=True)
    assessment_summary = models.TextField(gettext_lazy("summary of the assessment"), blank=True)

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
