"""Organisation numbers: nine digits with the Brønnøysund modulus-11 check digit. An office's number is
kept by an administrator in Django admin, through the audited service; imports never touch it.

The numbers below are made up for their check digits; none is claimed to belong to anyone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.models import AuditEvent
from kommunedialog.registry import services
from kommunedialog.registry.models import Office
from kommunedialog.registry.organisation_number import is_valid, validate_organisation_number
from tests.factories import UserFactory

VALID = ["900000006", "999999999", "888888888", "991122338"]
NOT_NINE_DIGITS = ["90000000", "9000000060", "90000000A", "９００００００００６", "900 000 006"]
# 900000007: the check digit is wrong; 91234567x: the weighted sum leaves 10, so no number starts so.
WRONG_CHECK_DIGIT = ["900000007", "999999990", "912345670", "912345679"]


@pytest.mark.parametrize("number", VALID)
def test_numbers_with_the_right_check_digit_are_valid(number):
    assert is_valid(number)
    validate_organisation_number(number)  # does not raise


@pytest.mark.parametrize("number", NOT_NINE_DIGITS)
def test_anything_but_nine_digits_is_refused(number):
    assert not is_valid(number)
    with pytest.raises(ValidationError) as refused:
        validate_organisation_number(number)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("number", WRONG_CHECK_DIGIT)
def test_a_wrong_check_digit_is_refused(number):
    assert not is_valid(number)
    with pytest.raises(ValidationError) as refused:
        validate_organisation_number(number)
    assert refused.value.code == "check_digit"


def test_empty_is_left_to_the_field():
    validate_organisation_number("")


@pytest.fixture
def rogaland(db) -> Office:
    return Office.objects.get(code="rogaland")


def test_the_service_sets_the_number_and_audits_it(rogaland):
    admin = UserFactory(role="admin")
    services.office_set_organisation_number(office=rogaland, actor=admin, organisation_number=" 900000006 ")
    rogaland.refresh_from_db()
    assert rogaland.organisation_number == "900000006"
    event = AuditEvent.objects.get(action="registry_office_organisation_number")
    assert (event.actor, event.object_id, event.before, event.after) == (
        admin,
        str(rogaland.pk),
        {"organisation_number": ""},
        {"organisation_number": "900000006"},
    )
    services.office_set_organisation_number(office=rogaland, actor=admin, organisation_number="900000006")
    assert AuditEvent.objects.filter(action="registry_office_organisation_number").count() == 1  # no change


@pytest.mark.parametrize("number", ["900000007", "12345"])
def test_the_service_refuses_an_invalid_number_and_changes_nothing(rogaland, number):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.office_set_organisation_number(office=rogaland, actor=SYSTEM, organisation_number=number)
    rogaland.refresh_from_db()
    assert (rogaland.organisation_number, AuditEvent.objects.count()) == ("", before)


def admin_client() -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(role="admin"))
    return client


def test_an_administrator_enters_the_number_in_django_admin(rogaland):
    client = admin_client()
    url = f"/admin/registry/office/{rogaland.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="organisation_number"' in form
    assert 'name="name"' not in form  # the imported fields stay read-only
    response = client.post(url, {"organisation_number": "900000006", "name": "Changed", "code": "changed"})
    assert response.status_code == 302
    rogaland.refresh_from_db()
    assert (rogaland.organisation_number, rogaland.name, rogaland.code) == (
        "900000006",
        "Statsforvalteren i Rogaland",
        "rogaland",
    )
    assert AuditEvent.objects.filter(action="registry_office_organisation_number", object_id=str(rogaland.pk)).exists()


def test_django_admin_refuses_a_wrong_check_digit_and_changes_nothing(rogaland):
    client = admin_client()
    before = AuditEvent.objects.count()
    response = client.post(f"/admin/registry/office/{rogaland.pk}/change/", {"organisation_number": "900000007"})
    assert response.status_code == 200
    assert "the check digit does not match" in response.content.decode()
    rogaland.refresh_from_db()
    assert (rogaland.organisation_number, AuditEvent.objects.count()) == ("", before)


def test_offices_can_still_be_neither_added_nor_deleted_in_admin(rogaland):
    client = admin_client()
    assert client.get("/admin/registry/office/add/").status_code == 403
    assert client.post(f"/admin/registry/office/{rogaland.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Office.objects.filter(pk=rogaland.pk).exists()
