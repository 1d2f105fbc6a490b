from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kommunedialog.registry.models import Municipality, Office


class Role(models.TextChoices):
    """The roles of BRIEF §1. Public is the absence of a role."""

    MUNICIPALITY_USER = "municipality_user", _("Municipality user")
    STAFF = "staff", _("Office staff")
    COORDINATOR = "coordinator", _("Office coordinator")
    MINISTRY = "ministry", _("Ministry (read-only)")
    ADMIN = "admin", _("Administrator")


OFFICE_ROLES = frozenset({Role.STAFF, Role.COORDINATOR})
MUNICIPALITY_ROLES = frozenset({Role.MUNICIPALITY_USER})
NATIONAL_ROLES = frozenset({Role.MINISTRY, Role.ADMIN})


class User(AbstractUser):
    """A person who logs in. What they may do comes from their role assignments, not from Django groups."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleAssignment(models.Model):
    """One role for one user, scoped to an office (staff, coordinator), a municipality (municipality
    user) or nothing (ministry, administrator). A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("office"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("municipality"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    # "local" for roles given by an administrator; otherwise the login provider whose claims gave it,
    # so that the next login through that provider can take it away again.
    source = models.CharField(_("source"), max_length=30, default="local")

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role__in=sorted(OFFICE_ROLES), office__isnull=False, municipality__isnull=True)
                    | Q(role__in=sorted(MUNICIPALITY_ROLES), office__isnull=True, municipality__isnull=False)
                    | Q(role__in=sorted(NATIONAL_ROLES), office__isnull=True, municipality__isnull=True)
                ),
            ),
            # One constraint per scope, because NULLs are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["user", "role", "office"], condition=Q(office__isnull=False), name="role_unique_per_office"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(municipality__isnull=False),
                name="role_unique_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(office__isnull=True, municipality__isnull=True),
                name="role_unique_national",
            ),
        ]

    def __str__(self) -> str:
        scope = self.office or self.municipality
        return f"{self.user} — {self.get_role_display()}" + (f" ({scope})" if scope else "")


class OidcIdentity(models.Model):
    """The link from a login provider's subject to a local user.

    The national identity number (ID-porten's ``pid``) is never stored: only a keyed hash, used to
    match claim rules registered by an administrator.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    provider = models.CharField(_("provider"), max_length=30)
    subject = models.CharField(_("subject"), max_length=255)
    national_id_hash = models.CharField(max_length=64, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login identity")
        verbose_name_plural = _("login identities")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="oidc_identity_unique")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class ClaimRoleRule(models.Model):
    """The explicit table from login claims to roles: when ``claim`` of a login through ``provider``
    holds ``value`` (or contains it, for list claims), the user gets ``role`` with its scope.

    For ID-porten the useful claim is ``pid`` and ``value`` is the keyed hash of the number, entered
    through the admin form, which hashes it: the number itself is never kept.
    """

    provider = models.CharField(_("provider"), max_length=30)
    claim = models.CharField(_("claim"), max_length=100)
    value = models.CharField(_("value"), max_length=255)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("claim rule")
        verbose_name_plural = _("claim rules")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "claim", "value", "role", "office", "municipality"], name="claim_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.claim} → {self.get_role_display()}"
