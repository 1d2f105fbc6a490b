"""Oversight evidence: what supervisions found, how complaints were decided, which plans are in force,
ROBEK, and which services a municipality shares with others.

Every record belongs to a municipality code version; the office that may see and write it follows
from the municipality's county. Complaint statistics are counts only: no model here has a field for
a person.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.domains import Domain
from kommunedialog.registry.models import Municipality, Office


class Authority(models.TextChoices):
    OFFICE = "statsforvalteren", _("The County Governor")
    HELSETILSYNET = "helsetilsynet", _("Norwegian Board of Health Supervision (Helsetilsynet)")
    ARBEIDSTILSYNET = "arbeidstilsynet", _("Norwegian Labour Inspection Authority (Arbeidstilsynet)")
    DSB = "dsb", _("Directorate for Civil Protection (DSB)")
    MATTILSYNET = "mattilsynet", _("Norwegian Food Safety Authority (Mattilsynet)")
    DATATILSYNET = "datatilsynet", _("Norwegian Data Protection Authority (Datatilsynet)")
    ARKIVVERKET = "arkivverket", _("National Archives (Arkivverket)")
    OTHER = "other", _("Other authority")


class SupervisionType(models.TextChoices):
    SYSTEM_AUDIT = "system_audit", _("System audit")
    NATIONWIDE = "nationwide", _("Nationwide supervision")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    DOCUMENT = "document", _("Document-based supervision")
    INCIDENT = "incident", _("Incident-based supervision")
    INSPECTION = "inspection", _("Inspection")
    OTHER = "other", _("Other")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Supervision(models.Model):
    """One supervision (tilsyn) of one municipality, identified by the authority's case reference."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("municipality")
    )
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    authority = models.CharField(_("authority"), max_length=30, choices=Authority.choices)
    reference = models.CharField(
        _("case reference"), max_length=60, help_text=_("The authority's case number, e.g. 2025/1234.")
    )
    topic = models.CharField(_("topic"), max_length=300)
    supervision_type = models.CharField(_("type"), max_length=30, choices=SupervisionType.choices)
    planned_on = models.DateField(_("planned"), null=True, blank=True)
    carried_out_on = models.DateField(_("carried out"), null=True, blank=True)
    report_on = models.DateField(_("report date"), null=True, blank=True)
    nonconformity_count = models.PositiveSmallIntegerField(_("nonconformities"), default=0)
    remark_count = models.PositiveSmallIntegerField(_("remarks"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    report_url = models.URLField(_("public report"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-carried_out_on", "-planned_on", "reference"]
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        constraints = [
            # Case numbers are the authority's own: one County Governor office's 2025/1234 is not another's.
            models.UniqueConstraint(
                fields=["municipality", "authority", "reference"], name="supervision_reference_unique"
            ),
            models.CheckConstraint(
                name="supervision_closed_has_date",
                condition=Q(status=SupervisionStatus.OPEN, closed_on__isnull=True)
                | Q(status=SupervisionStatus.CLOSED, closed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.topic}"

    @property
    def is_open(self) -> bool:
        return self.status == SupervisionStatus.OPEN

    @property
    def last_date(self) -> dt.date | None:
        return self.report_on or self.carried_out_on or self.planned_on

    def findings_of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings.all() if f.kind == kind]

    @property
    def nonconformities(self) -> list[Finding]:
        return self.findings_of(FindingKind.NONCONFORMITY)

    @property
    def remarks(self) -> list[Finding]:
        return self.findings_of(FindingKind.REMARK)


class FindingKind(models.TextChoices):
    NONCONFORMITY = "nonconformity", _("Nonconformity")
    REMARK = "remark", _("Remark")


class Finding(models.Model):
    """The short text of one nonconformity or remark. The supervision's counts are authoritative;
    texts are optional, since a spreadsheet may know only how many there were."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    position = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("text"), max_length=500)

    class Meta:
        ordering = ["supervision", "kind", "position"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["supervision", "kind", "position"], name="finding_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}: {self.text}"


class ComplaintStatistic(models.Model):
    """Complaint cases the office decided for one municipality, domain and year: counts only."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="complaint_statistics", verbose_name=_("municipality")
    )
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    received = models.PositiveIntegerField(_("cases received"))
    decided = models.PositiveIntegerField(_("cases decided"))
    upheld = models.PositiveIntegerField(_("upheld"))
    reversed = models.PositiveIntegerField(_("reversed"))
    sent_back = models.PositiveIntegerField(_("sent back"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "domain"]
        verbose_name = _("complaint statistic")
        verbose_name_plural = _("complaint statistics")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "domain", "year"], name="complaint_statistic_unique"),
            models.CheckConstraint(
                name="complaint_outcomes_within_decided",
                condition=Q(decided__gte=F("upheld") + F("reversed") + F("sent_back")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.get_domain_display()} {self.year}"

    @property
    def other_outcomes(self) -> int:
        """Decided cases with another outcome (dismissed, withdrawn …)."""
        return self.decided - self.upheld - self.reversed - self.sent_back


class PlanType(models.TextChoices):
    PLANNING_STRATEGY = "planning_strategy", _("Municipal planning strategy (planstrategi)")
    SOCIETAL_PART = "societal_part", _("Municipal master plan, societal part (samfunnsdel)")
    LAND_USE_PART = "land_use_part", _("Municipal master plan, land-use part (arealdel)")
    RISK_VULNERABILITY = "risk_vulnerability", _("Overall risk and vulnerability analysis (helhetlig ROS)")
    EMERGENCY_PLAN = "emergency_plan", _("Overall emergency plan (overordnet beredskapsplan)")
    CLIMATE_ENERGY = "climate_energy", _("Climate and energy plan")
    FINANCIAL_PLAN = "financial_plan", _("Financial plan (økonomiplan)")


class Plan(models.Model):
    """One adopted version of a plan or governance document; older versions stay as history."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="plans", verbose_name=_("municipality")
    )
    plan_type = models.CharField(_("type"), max_length=30, choices=PlanType.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    adopted_on = models.DateField(_("adopted"))
    revision_due = models.DateField(_("revision due"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_type", "-adopted_on"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan_type", "adopted_on"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} ({self.adopted_on:%Y-%m-%d})"


class RobekGround(models.TextChoices):
    """The grounds for entry in ROBEK, kommuneloven § 28-1 first paragraph, letters a–g."""

    A = "a", _("a) The operating budget was adopted with a deficit")
    B = "b", _("b) The operating part of the financial plan was adopted with a deficit")
    C = "c", _("c) A deficit is to be covered over more than two years")
    D = "d", _("d) Accumulated deficit above three per cent of operating revenue")
    E = "e", _("e) The financial plan or annual budget was not adopted in time")
    F = "f", _("f) The annual accounts were not adopted in time")
    G = "g", _("g) The ministry has made a decision under inndelingslova § 16 a")


class RobekEntry(models.Model):
    """One stay of a municipality in ROBEK, as seen in the ministry's published register files.

    The register file gives no entry dates, so the dates are those of the publications that first
    and last listed the municipality, and of the first publication that no longer did.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="robek_entries", verbose_name=_("municipality")
    )
    grounds = models.CharField(_("legal grounds"), max_length=20, help_text=_("Letters of kommuneloven § 28-1."))
    first_listed_on = models.DateField(_("first listed"))
    last_listed_on = models.DateField(_("last listed"))
    removed_on = models.DateField(_("no longer listed"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-first_listed_on"]
        verbose_name = _("ROBEK entry")
        verbose_name_plural = _("ROBEK entries")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(removed_on__isnull=True), name="robek_one_open_entry"
            )
        ]

    def __str__(self) -> str:
        return f"ROBEK {self.municipality} ({self.grounds})"

    @property
    def ground_letters(self) -> list[str]:
        return [g for g in self.grounds.split(",") if g]

    @property
    def ground_labels(self) -> list[str]:
        return [str(RobekGround(g).label) for g in self.ground_letters]

    @property
    def is_listed(self) -> bool:
        return self.removed_on is None


class LegalForm(models.TextChoices):
    IKS = "iks", _("Inter-municipal company (IKS)")
    HOST_MUNICIPALITY = "host_municipality", _("Host municipality (vertskommune)")
    JOINT_BOARD = "joint_board", _("Host municipality with joint board (felles folkevalgt nemnd)")
    TASK_COMMUNITY = "task_community", _("Municipal task community (kommunalt oppgavefellesskap)")
    POLITICAL_COUNCIL = "political_council", _("Inter-municipal political council")
    CONTRACT = "contract", _("Contract-based cooperation (§ 17-1)")
    COMPANY = "company", _("Limited company (AS)")
    OTHER = "other", _("Other")


class Cooperation(models.Model):
    """An inter-municipal cooperation arrangement: which service is shared, by whom, in what form."""

    name = models.CharField(_("arrangement"), max_length=200)
    service_area = models.CharField(_("service area"), max_length=200)
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    host = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_cooperations",
        verbose_name=_("host municipality"),
    )
    members = models.ManyToManyField(Municipality, related_name="cooperations", verbose_name=_("members"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("inter-municipal cooperation")
        verbose_name_plural = _("inter-municipal cooperations")
        constraints = [models.UniqueConstraint(fields=["name", "service_area"], name="cooperation_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.service_area})"


class PlannedSupervision(models.Model):
    """A supervision the office has chosen for next year's plan: which municipality, in which domain,
    and why. Internal to the office; removed again if the office changes its mind."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="planned_supervisions", verbose_name=_("office")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="planned_supervisions", verbose_name=_("municipality")
    )
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    reason = models.TextField(_("reason"), max_length=2000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["year", "municipality__name_norwegian", "domain"]
        verbose_name = _("planned supervision")
        verbose_name_plural = _("planned supervisions")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "municipality", "domain", "year"], name="planned_supervision_once_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.municipality} – {self.get_domain_display()}"
