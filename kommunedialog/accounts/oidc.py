"""OpenID Connect login: ID-porten for municipality users, Entra ID (or similar) for staff.

Providers are configured by environment variables (docs/configuration.md); none is on by default.
What a login may do is decided by the explicit ClaimRoleRule table, never by the provider alone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from joserfc.errors import JoseError

from kommunedialog.accounts import services
from kommunedialog.accounts.models import ClaimRoleRule, OidcIdentity, Role, User
from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.audit import AuditAction


class OidcAccessDenied(Exception):
    """The provider vouched for the person, but Kommunedialog does not let them in."""


# Everything that ends a login attempt through a provider: the protocol refused (authlib), a token that
# does not verify (joserfc), the provider out of reach, our own refusal, and authlib's ValueError for a
# callback whose state or claims are malformed.
LOGIN_FAILURES: tuple[type[Exception], ...] = (
    OAuthError,
    JoseError,
    requests.RequestException,
    OidcAccessDenied,
    ValueError,
)


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scope: str
    acr_values: str
    required_acr: frozenset[str]


def providers() -> dict[str, Provider]:
    configured: dict[str, dict[str, Any]] = settings.OIDC_PROVIDERS
    return {
        key: Provider(
            key=key,
            label=conf["label"],
            discovery_url=conf["discovery_url"],
            client_id=conf["client_id"],
            client_secret=conf["client_secret"],
            scope=conf.get("scope", "openid profile"),
            acr_values=conf.get("acr_values", ""),
            required_acr=frozenset(conf.get("required_acr", ())),
        )
        for key, conf in configured.items()
    }


def client_for(provider: Provider) -> Any:
    # A fresh registry per call keeps the configuration in step with settings (and test overrides).
    oauth = OAuth()
    oauth.register(
        name=provider.key,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={"scope": provider.scope, "timeout": settings.HTTP_TIMEOUT_SECONDS},
    )
    return oauth.create_client(provider.key)


def national_id_hash(number: str) -> str:
    """A keyed hash of a national identity number: stable for matching, useless without the key."""
    key = settings.NATIONAL_ID_HASH_KEY.encode()
    return hmac.new(key, number.strip().encode(), hashlib.sha256).hexdigest()


def _matching_claims(provider: Provider, claims: Mapping[str, Any]) -> dict[str, Any]:
    """The claims rules are matched against, with the national identity number replaced by its hash."""
    safe = {k: v for k, v in claims.items() if k != "pid"}
    if "pid" in claims:
        safe["pid"] = national_id_hash(str(claims["pid"]))
    return safe


def _rules_for(provider: Provider, claims: Mapping[str, Any]) -> list[ClaimRoleRule]:
    wanted = Q()
    for claim, value in claims.items():
        values = value if isinstance(value, list) else [value]
        wanted |= Q(claim=claim, value__in=[str(v) for v in values])
    if not wanted:
        return []
    return list(ClaimRoleRule.objects.filter(wanted, provider=provider.key).select_related("office", "municipality"))


def oidc_login(*, provider: Provider, claims: Mapping[str, Any]) -> User:
    """Find or create the user behind a verified ID token and bring their provider roles up to date.

    Refuses when the assurance level is too low or when no claim rule gives the person a role; then
    nothing is written.
    """
    if provider.required_acr and claims.get("acr") not in provider.required_acr:
        raise OidcAccessDenied(f"{provider.label}: the login's assurance level {claims.get('acr')!r} is too low")
    subject = claims.get("sub")
    if not subject:
        raise OidcAccessDenied(f"{provider.label}: the ID token has no subject")
    safe = _matching_claims(provider, claims)
    with transaction.atomic():
        identity = OidcIdentity.objects.select_for_update().filter(provider=provider.key, subject=subject).first()
        rules = _rules_for(provider, safe)
        if not rules:
            raise OidcAccessDenied(f"{provider.label}: no role is registered for this person in Kommunedialog")
        if identity is None:
            user = User.objects.create_user(
                username=f"{provider.key}-{hashlib.sha256(subject.encode()).hexdigest()[:16]}",
                first_name=str(claims.get("given_name", ""))[:150],
                last_name=str(claims.get("family_name", ""))[:150],
                email=str(claims.get("email", ""))[:254],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            identity = OidcIdentity.objects.create(user=user, provider=provider.key, subject=subject)
            audit.record(actor=SYSTEM, obj=user, action=AuditAction.OIDC_USER_CREATE, after={"provider": provider.key})
        identity.national_id_hash = safe.get("pid", "")
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["national_id_hash", "last_login_at"])
        user = identity.user
        _sync_roles(provider, user, rules)
    return user


def _sync_roles(provider: Provider, user: User, rules: list[ClaimRoleRule]) -> None:
    wanted = {(r.role, r.office_id, r.municipality_id): r for r in rules}
    for assignment in user.role_assignments.filter(source=provider.key):
        if (assignment.role, assignment.office_id, assignment.municipality_id) not in wanted:
            services.role_revoke(actor=SYSTEM, assignment=assignment)
    for rule in wanted.values():
        services.role_grant(
            actor=SYSTEM,
            user=user,
            role=Role(rule.role),
            office=rule.office,
            municipality=rule.municipality,
            source=provider.key,
        )
