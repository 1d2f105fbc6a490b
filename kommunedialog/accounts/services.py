"""State changes on accounts and roles. Every function is atomic and audited."""

from __future__ import annotations

from django.db import transaction

from kommunedialog.accounts.models import MUNICIPALITY_ROLES, OFFICE_ROLES, Role, RoleAssignment, User
from kommunedialog.core import audit
from kommunedialog.core.actors import Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.registry.models import Municipality, Office


class RoleScopeError(ValueError):
    pass


def _check_scope(role: Role, office: Office | None, municipality: Municipality | None) -> None:
    if role in OFFICE_ROLES and (office is None or municipality is not None):
        raise RoleScopeError(f"The role {role.label} is held for one office")
    if role in MUNICIPALITY_ROLES and (municipality is None or office is not None):
        raise RoleScopeError(f"The role {role.label} is held for one municipality")
    if role not in OFFICE_ROLES | MUNICIPALITY_ROLES and (office is not None or municipality is not None):
        raise RoleScopeError(f"The role {role.label} is national and takes no office or municipality")
    if municipality is not None and not municipality.is_current:
        raise RoleScopeError(f"{municipality} is no longer a municipality")


def user_create_local(*, actor: Actor, username: str, password: str, full_name: str, email: str = "") -> User:
    """A local account (development, demo, break-glass). Production logins come through OIDC."""
    with transaction.atomic():
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(
            username=username, password=password, email=email, first_name=first, last_name=last
        )
        audit.record(
            actor=actor, obj=user, action=AuditAction.USER_CREATE_LOCAL, after={"username": username, "email": email}
        )
    return user


def user_set_password(*, actor: Actor, user: User, password: str) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=actor, obj=user, action=AuditAction.USER_SET_PASSWORD)
    return user


def role_grant(
    *,
    actor: Actor,
    user: User,
    role: Role,
    office: Office | None = None,
    municipality: Municipality | None = None,
    source: str = "local",
) -> RoleAssignment:
    """Give ``user`` a role; granting one they already hold changes nothing."""
    _check_scope(role, office, municipality)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, office=office, municipality=municipality, defaults={"source": source}
        )
        if created:
            audit.record(
                actor=actor,
                obj=assignment,
                action=AuditAction.ROLE_GRANT,
                after={"role": role.value, "scope": str(office or municipality or "")},
            )
        if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
            # Administrators run the platform through Django admin; nobody else reaches it.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    return assignment


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        user = assignment.user
        audit.record(
            actor=actor,
            obj=assignment,
            action=AuditAction.ROLE_REVOKE,
            before={"role": assignment.role, "scope": str(assignment.office or assignment.municipality or "")},
        )
        assignment.delete()
        if assignment.role == Role.ADMIN and not user.role_assignments.filter(role=Role.ADMIN).exists():
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
