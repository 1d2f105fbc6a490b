from __future__ import annotations

from kommunedialog.core.policy import ADMIN_ONLY, EVERYONE, LOGGED_IN, Access, Scenario

POLICY = {
    "accounts:login": Access(get=EVERYONE, post=EVERYONE),
    "accounts:logout": Access(post=EVERYONE),
    "accounts:me_show": Access(get=LOGGED_IN),
    # No provider is configured in the matrix (they are tested against a fake provider in
    # tests/accounts/test_oidc.py); an unknown provider is 404 to everyone.
    "accounts:oidc_start": Access(kwargs=lambda s: {"provider": "idporten"}, denied_status=frozenset({404, 405})),
    "accounts:oidc_finish": Access(kwargs=lambda s: {"provider": "idporten"}, denied_status=frozenset({404, 405})),
    # Django admin is for platform administrators only; every admin URL, whatever its model.
    # Read-only models answer 403 on their add and delete views even to administrators.
    "admin:*": Access(get=ADMIN_ONLY, post=ADMIN_ONLY, allowed_extra=frozenset({403})),
    "admin:login": Access(get=EVERYONE, post=EVERYONE),
    # POST logs out whoever asks. A GET is refused (405) to administrators and, for everyone else,
    # only redirects towards the admin login.
    "admin:logout": Access(get=EVERYONE - ADMIN_ONLY, post=EVERYONE),
    # Views that only answer GET.
    "admin:jsi18n": Access(get=ADMIN_ONLY),
    # Without a model and field to search, Django answers an administrator 403 too.
    "admin:autocomplete": Access(get=ADMIN_ONLY, allowed_extra=frozenset({403})),
    "admin:password_change_done": Access(get=ADMIN_ONLY),
    # Django admin's catch-all: unknown admin pages are 404 to administrators, a login to everyone else.
    "admin:<unnamed>": Access(get=ADMIN_ONLY, post=ADMIN_ONLY, allowed_extra=frozenset({404})),
}


def _seed_personal_data(scenario: Scenario, marker: str) -> str:
    from kommunedialog.accounts import services
    from kommunedialog.accounts.models import ClaimRoleRule, OidcIdentity, Role, User
    from kommunedialog.core.actors import SYSTEM

    user = User.objects.create_user(
        username=f"leak-{marker[-8:]}", first_name=marker, last_name=marker, email=f"{marker}@example.invalid"
    )
    services.role_grant(actor=SYSTEM, user=user, role=Role.MUNICIPALITY_USER, municipality=scenario["own_municipality"])
    OidcIdentity.objects.create(user=user, provider="idporten", subject=marker, national_id_hash=marker)
    ClaimRoleRule.objects.create(
        provider="idporten",
        claim="pid",
        value=marker,
        role=Role.MUNICIPALITY_USER,
        municipality=scenario["own_municipality"],
    )
    return "user names and e-mail, login subject, national-id hash, claim rule value"


def _seed_audit_trail(scenario: Scenario, marker: str) -> str:
    from kommunedialog.core import audit
    from kommunedialog.core.actors import SYSTEM
    from kommunedialog.core.audit import AuditAction

    audit.record(
        actor=SYSTEM,
        obj=scenario["own_municipality"],
        action=AuditAction.LEAK_PROBE,
        before={"note": marker},
        after={"note": marker},
    )
    return "audit trail before/after"


PRIVATE_SEEDS = [_seed_personal_data, _seed_audit_trail]
