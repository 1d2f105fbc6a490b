"""Kommunebilde: a cycle per office, a profile per municipality in it, an assessment per domain."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kommunedialog.core.concurrency import VersionedModel
from kommunedialog.core.domains import Domain
from kommunedialog.core.models import StoredFile
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office


class Cycle(models.Model):
    """One round of kommunebilder for one office: usually a year, sometimes a visit round."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    consultation_weeks = models.PositiveSmallIntegerField(_("consultation period (weeks)"), default=3)
    target_publication = models.DateField(_("target publication date"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "office__name"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="cycle_name_unique_per_office")]

    def __str__(self) -> str:
        return f"{self.office.name}: {self.name}"


class CycleDomain(models.Model):
    """A chapter of this cycle's kommunebilder. Usually one of the national domains; offices may split or
    add chapters (fastlegesituasjonen, folkehelse …), which then carry no national domain."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("national domain"), max_length=30, choices=Domain.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    themes = models.TextField(_("themes"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["cycle", "position"]
        verbose_name = _("cycle domain")
        verbose_name_plural = _("cycle domains")
        constraints = [models.UniqueConstraint(fields=["cycle", "title"], name="cycle_domain_title_unique")]

    def __str__(self) -> str:
        return self.title


class Profile(VersionedModel):
    """The kommunebilde of one municipality in one cycle, with its workflow state."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="profiles", verbose_name=_("cycle"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="profiles", verbose_name=_("municipality")
    )
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.DRAFT)
    overall_picture = models.TextField(_("overall picture"), blank=True)
    dialogue_topics = models.TextField(_("topics for the dialogue meeting"), blank=True)
    consultation_sent_at = models.DateTimeField(_("sent on consultation"), null=True, blank=True)
    consultation_deadline = models.DateField(_("consultation deadline"), null=True, blank=True)
    meeting_held_on = models.DateField(_("meeting held"), null=True, blank=True)
    meeting_political = models.TextField(_("political participants"), blank=True)
    meeting_administrative = models.TextField(_("administrative participants"), blank=True)
    meeting_notes = models.TextField(_("meeting notes"), blank=True)
    # The texts and ratings as sent on consultation, so staff can see what changed afterwards.
    consultation_content = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "municipality__name_norwegian"]
        verbose_name = _("kommunebilde")
        verbose_name_plural = _("kommunebilder")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "municipality"], name="profile_one_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} – {self.cycle.name}"

    @property
    def office(self) -> Office:
        return self.cycle.office


class Rating(models.TextChoices):
    GOOD = "good", _("Good competence, capacity and quality")
    IMPROVEMENT = "improvement", _("Improvement potential")
    VULNERABLE = "vulnerable", _("Vulnerable")
    NOT_ASSESSED = "not_assessed", _("Not assessed this cycle")


class Assessment(VersionedModel):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="assessments")
    cycle_domain = models.ForeignKey(CycleDomain, on_delete=models.PROTECT, related_name="assessments")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    # The optional split (BRIEF §2); blank when the office rates the domain as a whole.
    competence = models.CharField(_("competence"), max_length=20, choices=Rating.choices, blank=True)
    capacity = models.CharField(_("capacity"), max_length=20, choices=Rating.choices, blank=True)
    quality = models.CharField(_("quality"), max_length=20, choices=Rating.choices, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    departure_reason = models.TextField(_("reason for departing from the signal"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["profile", "cycle_domain__position"]
        verbose_name = _("domain assessment")
        verbose_name_plural = _("domain assessments")
        constraints = [
            models.UniqueConstraint(fields=["profile", "cycle_domain"], name="assessment_one_per_domain"),
            models.CheckConstraint(
                condition=~Q(rating__in=["good", "improvement", "vulnerable"]) | ~Q(justification=""),
                name="assessment_rating_needs_justification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} – {self.cycle_domain}"

    @property
    def is_done(self) -> bool:
        return self.rating == Rating.NOT_ASSESSED or (bool(self.rating) and bool(self.justification.strip()))


class ResponseKind(models.TextChoices):
    FACTUAL_ERROR = "factual_error", _("Factual error")
    DISAGREEMENT = "disagreement", _("Disagreement")
    ADDITIONAL_INFORMATION = "additional_information", _("Additional information")


class Decision(models.TextChoices):
    CHANGED = "changed", _("Changed")
    NOT_CHANGED = "not_changed", _("Not changed")


class ConsultationResponse(models.Model):
    """The municipality's response during consultation, per domain (assessment) or overall (none),
    and the office's decision on it."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="consultation_responses")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="consultation_responses"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ResponseKind.choices)
    text = models.TextField(_("response"))
    attachment = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("attachment")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["profile", "created_at"]
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")

    def __str__(self) -> str:
        return f"{self.profile}: {self.get_kind_display()}"


class PublishedProfileQuerySet(models.QuerySet["PublishedProfile"]):
    def update(self, **kwargs: object) -> int:
        raise SnapshotIsImmutable("Published kommunebilder cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SnapshotIsImmutable("Published kommunebilder cannot be deleted")


class SnapshotIsImmutable(Exception):
    pass


class PublishedProfile(models.Model):
    """The frozen, public kommunebilde: everything the public page and the API show, as it was at
    publication. Later data or edits never reach it; the next publication for the municipality by the
    same office supersedes it (derived, not stored, so the row never changes)."""

    profile = models.OneToOneField(Profile, on_delete=models.PROTECT, related_name="snapshot")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="published_profiles")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="published_profiles")
    published_at = models.DateTimeField(_("published"))
    data_as_of = models.DateField(_("data as of"))
    content = models.JSONField()
    content_hash = models.CharField(max_length=64, unique=True)
    # The public fragment rendered at publication, per language, so a page view does no template work
    # for the kommunebilde (STYLE §4). Rendered from ``content`` only.
    rendered = models.JSONField(default=dict, editable=False)

    objects = PublishedProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("published kommunebilde")
        verbose_name_plural = _("published kommunebilder")
        indexes = [models.Index(fields=["municipality", "office", "-published_at"])]

    def __str__(self) -> str:
        return (
            f"{self.content.get('municipality', {}).get('name', '')} – {self.content.get('cycle', {}).get('name', '')}"
        )

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise SnapshotIsImmutable("Published kommunebilder cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise SnapshotIsImmutable("Published kommunebilder cannot be deleted")

    @property
    def fragment(self) -> str:
        """The pre-rendered public fragment in the active language (rendered now if missing)."""
        from django.template.loader import render_to_string
        from django.utils import translation
        from django.utils.safestring import mark_safe

        from kommunedialog.profiles.layouts import template_for

        language = translation.get_language() or settings.LANGUAGE_CODE
        html = self.rendered.get(language) or render_to_string(template_for(self), {"snap": self})
        return mark_safe(html)  # noqa: S308 - our own template's autoescaped output


class Owner(models.TextChoices):
    OFFICE = "office", _("The County Governor")
    MUNICIPALITY = "municipality", _("The municipality")


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_FOLLOW_UP = frozenset({FollowUpState.OPEN, FollowUpState.IN_PROGRESS})


class FollowUpAction(models.Model):
    """Something agreed in the dialogue meeting: who does what by when, and how far it has come."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="follow_up_actions")
    description = models.TextField(_("action"))
    owner_party = models.CharField(_("owner"), max_length=20, choices=Owner.choices, default=Owner.OFFICE)
    # Who in the office or the municipality, in words (optional).
    owner = models.CharField(_("responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    state = models.CharField(_("status"), max_length=20, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    note = models.TextField(_("note"), blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_FOLLOW_UP

    def is_overdue(self, today: dt.date | None = None) -> bool:
        from django.utils import timezone

        return self.is_open and self.due_on < (today or timezone.localdate())


class OfficeSettings(models.Model):
    """How one office runs its kommunebilder. No row: the defaults."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="profile_settings")
    four_eyes = models.BooleanField(
        _("four eyes"),
        default=True,
        help_text=_(
            "The person who wrote a domain's assessment cannot approve the quality check of that kommunebilde."
        ),
    )

    class Meta:
        verbose_name = _("kommunebilde settings")
        verbose_name_plural = _("kommunebilde settings")

    def __str__(self) -> str:
        return str(self.office)

    @classmethod
    def for_office(cls, office: Office) -> OfficeSettings:
        return cls.objects.filter(office=office).first() or cls(office=office)


class MunicipalityVoice(VersionedModel):
    """The municipality's own words beside its published kommunebilde: its improvement goals per
    chapter and a comment. Written by the municipality's users, never by the office; the snapshot itself
    stays as it was published."""

    snapshot = models.OneToOneField(PublishedProfile, on_delete=models.PROTECT, related_name="voice")
    # One entry per chapter of the snapshot, in its order: {"title": chapter title, "goal": text}.
    goals = models.JSONField(_("improvement goals"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("the municipality's own words")
        verbose_name_plural = _("the municipalities' own words")

    def __str__(self) -> str:
        return f"{self.snapshot}"

    @property
    def written_goals(self) -> list[dict[str, str]]:
        return [g for g in self.goals if str(g.get("goal", "")).strip()]

    @property
    def is_empty(self) -> bool:
        return not self.comment.strip() and not self.written_goals
