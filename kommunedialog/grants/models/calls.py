"""Calls for applications, their criteria, and the offices' case numbers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.core.concurrency import VersionedModel
from kommunedialog.core.languages import localised
from kommunedialog.grants.budget import FundingRules
from kommunedialog.grants.states import CallState
from kommunedialog.registry.models import Municipality, Office


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


class CaseCounter(models.Model):
    """The office's running case number per year: an application gets "2026/14" when it is first
    submitted, and keeps it in every letter and in the archive export."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("case counter")
        verbose_name_plural = gettext_lazy("case counters")
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="case_counter_per_office_year")]

    def __str__(self) -> str:
        return f"{self.office.code} {self.year}: {self.last}"
