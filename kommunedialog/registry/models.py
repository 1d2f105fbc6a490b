"""The register: offices, counties, municipalities with their validity, and the code history.

Codes change (2020, 2024) and are sometimes reused, so a municipality row is one *code version*:
a number valid from ``valid_from`` (inclusive) until ``valid_to`` (exclusive, as in KLASS). Nothing
in the project holds a hard-coded list of municipalities; everything comes from an import.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommunedialog.registry.organisation_number import validate_organisation_number


def valid_on_q(on: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class Office(models.Model):
    """A County Governor office (statsforvaltarembete)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Entered by an administrator (the imports know no organisation numbers); empty until then.
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Nine digits, from Brønnøysundregistrene. Identifies the office as funder in open data."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("County Governor office")
        verbose_name_plural = _("County Governor offices")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counties", verbose_name=_("office"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Exclusive, as in KLASS."))

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class KostraGroup(models.Model):
    """SSB's grouping of similar municipalities (EKG01–EKG17), used for fair comparison."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("KOSTRA group")
        verbose_name_plural = _("KOSTRA groups")

    def __str__(self) -> str:
        return self.name


class LanguageForm(models.TextChoices):
    """The municipality's chosen written form (målform), which letters to it must follow."""

    BOKMAAL = "bokmaal", _("Bokmål")
    NYNORSK = "nynorsk", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral")


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def valid_on(self, on: dt.date) -> MunicipalityQuerySet:
        return self.filter(valid_on_q(on))

    def current(self) -> MunicipalityQuerySet:
        return self.valid_on(timezone.localdate())


class Municipality(models.Model):
    number = models.CharField(_("municipality number"), max_length=4, db_index=True)
    # The official name as KLASS gives it, with Sámi and Kven forms joined by " - ".
    name = models.CharField(_("official name"), max_length=200)
    name_norwegian = models.CharField(_("Norwegian name"), max_length=100)
    other_names = models.JSONField(_("Sámi and Kven names"), default=list, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="municipalities", verbose_name=_("county")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Exclusive, as in KLASS."))
    language_form = models.CharField(_("language form"), max_length=10, choices=LanguageForm.choices, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    centrality = models.PositiveSmallIntegerField(_("centrality"), null=True, blank=True)
    kostra_group = models.ForeignKey(
        KostraGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("KOSTRA group"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name_norwegian", "number"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_to"], name="municipality_code_version_unique"),
            models.UniqueConstraint(
                fields=["number"], condition=Q(valid_to__isnull=True), name="municipality_one_open_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="municipality_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(centrality__isnull=True) | Q(centrality__gte=1, centrality__lte=6),
                name="municipality_centrality_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("publicsite:municipality_show", kwargs={"number": self.number})

    @property
    def name_with_county(self) -> str:
        """The name with its county to tell it apart, once: KLASS already writes the county into the names
        that are shared ("Våler (Innlandet)"), and those are not given it twice."""
        if self.county is None or self.name.endswith(")"):
            return self.name
        return f"{self.name} ({self.county.name})"

    @property
    def written_language(self) -> str:
        """The language to write to the municipality in (språklova): nynorsk for a nynorsk municipality,
        bokmål for bokmål and neutral ones."""
        return "nn" if self.language_form == LanguageForm.NYNORSK else "nb"

    @property
    def office(self) -> Office | None:
        return self.county.office if self.county else None

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to > today
        )


class CodeChange(models.Model):
    """One edge of the code history: ``old_code`` became (part of) ``new_code`` on ``occurred_on``.

    Codes are plain strings, not foreign keys, because a change may name a code version that no
    longer exists as a row (KLASS only reports history from 2008). ``weight`` is the share of the old
    municipality that went to the new one: 1 for renumbering and mergers, a fraction for splits.
    """

    class WeightSource(models.TextChoices):
        WHOLE = "whole", _("Whole municipality")
        FHI = "fhi", _("FHI redistricting table")
        EQUAL = "equal", _("Equal shares (no source gives the split)")

    old_code = models.CharField(_("old code"), max_length=4, db_index=True)
    old_name = models.CharField(_("old name"), max_length=200)
    new_code = models.CharField(_("new code"), max_length=4, db_index=True)
    new_name = models.CharField(_("new name"), max_length=200)
    occurred_on = models.DateField(_("change occurred"))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4, default=Decimal(1))
    weight_source = models.CharField(max_length=10, choices=WeightSource.choices, default=WeightSource.WHOLE)

    class Meta:
        ordering = ["occurred_on", "old_code", "new_code"]
        verbose_name = _("code change")
        verbose_name_plural = _("code changes")
        constraints = [
            models.UniqueConstraint(fields=["old_code", "new_code", "occurred_on"], name="code_change_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=1), name="code_change_weight_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.old_code} {self.old_name} → {self.new_code} {self.new_name} ({self.occurred_on})"

    @property
    def is_rename(self) -> bool:
        return self.old_code == self.new_code


class Boundary(models.Model):
    """A current municipality's outline as an SVG path in 100 m units (x east, y south), from SSB's
    simplified county maps; drawn on the public site's office maps."""

    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    path = models.TextField()
    min_x = models.IntegerField()
    min_y = models.IntegerField()
    max_x = models.IntegerField()
    max_y = models.IntegerField()

    class Meta:
        ordering = ["number"]
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")

    def __str__(self) -> str:
        return self.number


class Neighbour(models.Model):
    """Two current municipalities that share a border on land (Kartverket's simplified map: an arc of
    the TopoJSON that both outlines use). Stored once per pair, the lower number first."""

    first = models.CharField(_("municipality number"), max_length=4, db_index=True)
    second = models.CharField(_("neighbouring municipality number"), max_length=4, db_index=True)

    class Meta:
        ordering = ["first", "second"]
        verbose_name = _("neighbour")
        verbose_name_plural = _("neighbours")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="neighbour_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="neighbour_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first}–{self.second}"
