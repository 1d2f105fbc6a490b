from __future__ import annotations

import pytest
from django.http import Http404

from kommunedialog.accounts import access, services
from kommunedialog.accounts.models import Role, RoleAssignment
from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.registry.models import Municipality, Office
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rogaland() -> Office:
    return Office.objects.get(code="rogaland")


@pytest.fixture
def hjelmeland() -> Municipality:
    return Municipality.objects.current().get(number="1133")


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.STAFF, None, "held for one office"),
        (Role.COORDINATOR, "municipality", "held for one office"),
        (Role.MUNICIPALITY_USER, "office", "held for one municipality"),
        (Role.MUNICIPALITY_USER, None, "held for one municipality"),
        (Role.MINISTRY, "office", "national"),
        (Role.ADMIN, "municipality", "national"),
    ],
)
def test_a_role_must_have_its_own_kind_of_scope(role, scope, message, rogaland, hjelmeland):
    user = UserFactory()
    kwargs = (
        {"office": rogaland} if scope == "office" else {"municipality": hjelmeland} if scope == "municipality" else {}
    )
    with pytest.raises(services.RoleScopeError, match=message):
        services.role_grant(actor=SYSTEM, user=user, role=role, **kwargs)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="role_grant").exists()


def test_a_former_municipality_cannot_be_a_scope():
    user = UserFactory()
    old = Municipality.objects.get(number="3029")
    with pytest.raises(services.RoleScopeError, match="no longer a municipality"):
        services.role_grant(actor=SYSTEM, user=user, role=Role.MUNICIPALITY_USER, municipality=old)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_granting_is_audited_once_and_idempotent(rogaland):
    admin = UserFactory(role="admin")
    user = UserFactory()
    first = services.role_grant(actor=admin, user=user, role=Role.STAFF, office=rogaland)
    again = services.role_grant(actor=admin, user=user, role=Role.STAFF, office=rogaland)
    assert first.pk == again.pk
    events = AuditEvent.objects.filter(action="role_grant", object_id=str(first.pk))
    assert [(e.actor_label, e.after) for e in events] == [
        (admin.username, {"role": "staff", "scope": "Statsforvalteren i Rogaland"})
    ]


def test_admin_role_opens_and_closes_django_admin():
    user = UserFactory(role="admin")
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, True)
    services.role_revoke(actor=SYSTEM, assignment=user.role_assignments.get())
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert AuditEvent.objects.filter(action="role_revoke").count() == 1


def test_office_getter_lets_only_the_office_in(rogaland):
    staff = UserFactory(role="staff", office="rogaland")
    other = UserFactory(role="staff", office="vestland")
    municipality_user = UserFactory(role="municipality_user", municipality="1133")
    ministry = UserFactory(role="ministry")
    assert access.office_for_member(staff, "rogaland") == rogaland
    for outsider in (other, municipality_user, ministry):
        with pytest.raises(Http404):
            access.office_for_member(outsider, "rogaland")
    with pytest.raises(Http404):
        access.office_for_member(staff, "rogaland", Role.COORDINATOR)


def test_municipality_getters(hjelmeland):
    own = UserFactory(role="municipality_user", municipality="1133")
    neighbour = UserFactory(role="municipality_user", municipality="1134")
    staff = UserFactory(role="staff", office="rogaland")
    other_office = UserFactory(role="staff", office="vestland")
    assert access.municipality_for_member(own, "1133") == hjelmeland
    with pytest.raises(Http404):
        access.municipality_for_member(neighbour, "1133")
    with pytest.raises(Http404):
        access.municipality_for_member(staff, "1133")
    assert access.municipality_for_office_member(staff, "1133") == hjelmeland
    with pytest.raises(Http404):
        access.municipality_for_office_member(other_office, "1133")
    with pytest.raises(Http404):
        access.municipality_for_office_member(own, "1133")


def test_scope_lists():
    assert access.municipalities_in_scope(UserFactory(role="staff", office="rogaland")).count() == 23
    assert [
        m.number for m in access.municipalities_in_scope(UserFactory(role="municipality_user", municipality="1133"))
    ] == ["1133"]
    assert access.municipalities_in_scope(UserFactory(role="ministry")).count() == 357
    assert access.municipalities_in_scope(UserFactory()).count() == 0


def test_inactive_users_hold_no_roles():
    user = UserFactory(role="staff", office="rogaland", is_active=False)
    assert access.roles(user) == set()
