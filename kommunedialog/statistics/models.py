"""Statistics as imported: one row per source table (an SSB table or a file from another publisher)
and one per cell (observation), with provenance.

Observations keep the region code exactly as the source gave it; ``municipality`` holds the current
municipality number the series belongs to once the code history has been applied, so a current
municipality reads one series across the 2020 and 2024 reforms. A figure that cannot be carried over
as it is (a key figure of a merged or split municipality) keeps ``municipality`` empty and ``stitch``
says why; where the figures can be added up (counts, amounts, or a rate with its denominator) the
import adds a row for today's municipality that combines the old codes (``combined``) or takes its
share of a split (``apportioned``, by the code history's weight), with the inputs in ``inputs``.
Indicators the catalogue computes from source values (per inhabitant, shares) are stored the same
way under the table ``calc``, each with the source values it was computed from.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTY = "county", _("County")
    KOSTRA_GROUP = "kostra_group", _("KOSTRA group")
    COUNTRY = "country", _("Country")
    COUNTRY_EXCL_OSLO = "country_excl_oslo", _("Country excluding Oslo")
    OTHER = "other", _("Other region")
    NONE = "none", _("No region")


class Stitch(models.TextChoices):
    """How an observation's region code relates to today's municipalities."""

    SAME = "same", _("Current code")
    RENUMBERED = "renumbered", _("Renumbered; carried over to the current code")
    MERGED = "merged", _("Merged into a larger municipality; not carried over")
    SPLIT = "split", _("Split between municipalities; not carried over")
    COMBINED = "combined", _("Former municipalities combined (sum, or ratio of sums)")
    APPORTIONED = "apportioned", _("Share of a split municipality, by the code history's weight (an estimate)")
    UNKNOWN = "unknown", _("Code not in the register")
    NOT_MUNICIPALITY = "not_municipality", _("Not a municipality")


class Revision(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary (unrevised)")
    FINAL = "final", _("Final (revised)")


class StatisticsTable(models.Model):
    """One source table as last imported: an SSB table (``12134``), a file from another publisher
    (``udir-grunnskolepoeng``) or the catalogue's computed figures (``calc``)."""

    table_id = models.CharField(_("table"), max_length=60, unique=True)
    label = models.CharField(_("title"), max_length=500)
    source = models.CharField(_("source"), max_length=200)
    updated = models.DateTimeField(_("updated by SSB"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"))
    origin = models.CharField(_("fetched from"), max_length=500)
    notes = models.JSONField(_("notes that must be shown"), default=list, blank=True)
    contents = models.JSONField(_("statistics variables"), default=dict, blank=True)

    class Meta:
        ordering = ["table_id"]
        verbose_name = _("statistics table")
        verbose_name_plural = _("statistics tables")

    def __str__(self) -> str:
        return self.label or self.table_id

    @property
    def is_ssb(self) -> bool:
        return self.table_id.isdigit()

    @property
    def statbank_url(self) -> str:
        return f"https://www.ssb.no/statbank/table/{self.table_id}" if self.is_ssb else ""


class Observation(models.Model):
    table = models.ForeignKey(
        StatisticsTable, on_delete=models.CASCADE, related_name="observations", verbose_name=_("table")
    )
    # "<table>/<content code>/<other dimensions>" — what an indicator in the catalogue points at.
    series = models.CharField(_("series"), max_length=300)
    content_code = models.CharField(_("content code"), max_length=80)
    filters = models.CharField(_("other dimensions"), max_length=200, blank=True)
    region = models.CharField(_("region code"), max_length=60, blank=True)
    # The region as a file named it, for files that name municipalities by name only.
    region_label = models.CharField(_("region as named by the source"), max_length=120, blank=True)
    region_kind = models.CharField(_("region kind"), max_length=20, choices=RegionKind.choices)
    municipality = models.CharField(_("current municipality"), max_length=4, blank=True)
    stitch = models.CharField(_("code history"), max_length=20, choices=Stitch.choices)
    stitch_targets = models.CharField(_("current municipalities it fed"), max_length=60, blank=True)
    period = models.CharField(_("period"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status symbol"), max_length=4, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), null=True, blank=True)
    updated = models.DateTimeField(_("updated by SSB"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"))
    revision = models.CharField(_("revision"), max_length=12, choices=Revision.choices)
    # For combined, apportioned and computed figures: the source values they come from.
    inputs = models.JSONField(_("computed from"), default=dict, blank=True)
    # A split's share (apportioned), or a computed ratio's denominator (its weight in a group's ratio).
    weight = models.FloatField(_("weight"), null=True, blank=True)

    class Meta:
        ordering = ["series", "region", "period"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "region", "period", "municipality"], name="observation_cell_unique"
            ),
            models.CheckConstraint(
                # A cell with a missing-value symbol never carries a number (a missing value is not zero).
                condition=~Q(status__in=[".", "..", ":"]) | Q(value__isnull=True),
                name="observation_missing_has_no_value",
            ),
        ]
        indexes = [
            models.Index(fields=["series", "municipality", "year"], name="observation_series_muni"),
            models.Index(fields=["series", "region", "year"], name="observation_series_region"),
            # The few figures under old codes that feed today's municipalities (queries._figures).
            models.Index(fields=["series"], condition=models.Q(stitch_targets__gt=""), name="observation_stitched"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.region} {self.period}"


class Aggregate(models.Model):
    """A KOSTRA group's, county's or the country's figure for one series and year, with the spread of its
    members — SSB's own aggregate where the table has one, else computed (see comparison.py)."""

    class Scope(models.TextChoices):
        KOSTRA_GROUP = "kostra_group", _("KOSTRA group")
        COUNTY = "county", _("County")
        COUNTRY = "country", _("Country")

    class Method(models.TextChoices):
        # "ssb" for history: the figure is the source's own row (SSB's EAK, Udir's national row …).
        SSB = "ssb", _("The source's own figure")
        WEIGHTED_MEAN = "weighted_mean", _("Computed: mean of the municipalities weighted by population")
        SUM = "sum", _("Computed: sum of the municipalities")
        RATIO = "ratio", _("Computed: ratio of the municipalities' summed numerators and denominators")
        INSUFFICIENT = "insufficient", _("Not computed: too few municipalities have figures")
        NOT_MEANINGFUL = "not_meaningful", _("Not computed: no aggregate is meaningful for this indicator")
        NO_DATA = "no_data", _("No figures")

    series = models.CharField(_("series"), max_length=300)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    code = models.CharField(_("code"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    members = models.PositiveSmallIntegerField(_("municipalities"))
    with_value = models.PositiveSmallIntegerField(_("municipalities with figures"))
    q1 = models.FloatField(_("lower quartile"), null=True, blank=True)
    median = models.FloatField(_("median"), null=True, blank=True)
    q3 = models.FloatField(_("upper quartile"), null=True, blank=True)
    updated = models.DateTimeField(_("updated by SSB"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["series", "scope", "code", "year"]
        verbose_name = _("aggregate")
        verbose_name_plural = _("aggregates")
        constraints = [
            models.UniqueConstraint(fields=["series", "scope", "code", "year"], name="aggregate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.code} {self.year}"


class IngestRun(models.Model):
    """One run of the scheduled ingest (or of ``ingest_statistics``): what came in, what changed, what failed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        PARTIAL = "partial", _("Some tables failed")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(_("started by"), max_length=100)
    calls = models.PositiveIntegerField(_("calls to the source"), default=0)
    # Per table: {"cells", "created", "changed", "unchanged", "new_periods", "revised", "finalised", "error"}.
    tables = models.JSONField(_("tables"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("ingest run")
        verbose_name_plural = _("ingest runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def failures(self) -> dict[str, str]:
        return {table: info["error"] for table, info in self.tables.items() if info.get("error")}


class PeerSet(models.Model):
    """A set of municipalities an office or a municipality finds comparable, named by them, to see the
    catalogue's figures side by side (alphabetically, never ranked). Owned by exactly one office or one
    municipality; who did what is in the audit trail (statistics knows nothing of users)."""

    name = models.CharField(_("name"), max_length=200)
    office = models.ForeignKey(
        "registry.Office",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="peer_sets",
        verbose_name=_("office"),
    )
    owner_municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_peer_sets",
        verbose_name=_("municipality"),
    )
    members = models.ManyToManyField(
        "registry.Municipality", related_name="peer_sets", verbose_name=_("municipalities in the set")
    )
    note = models.CharField(_("why these municipalities"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=False, owner_municipality__isnull=True)
                | Q(office__isnull=True, owner_municipality__isnull=False),
                name="peer_set_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name
