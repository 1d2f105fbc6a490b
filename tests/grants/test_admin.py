"""Calls, applications, projects and reports in Django admin: administrators may look, nobody may add,
change or delete there (writes go through the audited services)."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from kommunedialog.core.models import AuditEvent
from kommunedialog.grants.models import Application, Call, Project, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(application_in) -> dict[str, Any]:
    application = application_in("approved")
    project = application.project
    return {
        "call": application.call,
        "application": application,
        "project": project,
        "report": project.reports.get(kind="final"),
    }


def admin_client() -> Client:
    web = Client(headers={"Accept-Language": "en"})
    web.force_login(UserFactory(role="admin"))
    return web


MODELS = {"call": Call, "application": Application, "project": Project, "report": Report}


@pytest.mark.parametrize("name", list(MODELS))
def test_an_administrator_can_look(objects, name):
    web = admin_client()
    obj = objects[name]
    listing = web.get(f"/admin/grants/{name}/")
    assert listing.status_code == 200
    assert f"/admin/grants/{name}/{obj.pk}/change/" in listing.content.decode()
    page = web.get(f"/admin/grants/{name}/{obj.pk}/change/")
    assert page.status_code == 200
    assert 'type="submit" value="Save"' not in page.content.decode()  # view only


def test_the_contact_person_stays_in_the_case(objects):
    application = objects["application"]
    Application.objects.filter(pk=application.pk).update(
        contact_name="Kari Kontakt", contact_email="kari@hjelmeland.kommune.no", contact_phone="51 75 00 00"
    )
    page = admin_client().get(f"/admin/grants/application/{application.pk}/change/").content.decode()
    assert application.title in page
    assert ("Kari Kontakt" in page, "kari@hjelmeland" in page, "51 75 00 00" in page) == (False, False, False)


@pytest.mark.parametrize("name", list(MODELS))
def test_nobody_adds_changes_or_deletes_in_admin(objects, name):
    web = admin_client()
    obj = objects[name]
    before = model_to_dict(obj), MODELS[name].objects.count(), AuditEvent.objects.count()
    assert web.get(f"/admin/grants/{name}/add/").status_code == 403
    assert web.post(f"/admin/grants/{name}/add/", {}).status_code == 403
    assert web.post(f"/admin/grants/{name}/{obj.pk}/change/", {"state": "draft"}).status_code == 403
    assert web.post(f"/admin/grants/{name}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = web.post(
        f"/admin/grants/{name}/", {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert changelist.status_code == 200  # the bulk delete action is not offered
    obj.refresh_from_db()
    assert (model_to_dict(obj), MODELS[name].objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("role", ["staff", "coordinator", "ministry"])
def test_grant_roles_do_not_reach_admin(objects, role):
    extra = {"office": "rogaland"} if role in {"staff", "coordinator"} else {}
    web = Client()
    web.force_login(UserFactory(role=role, **extra))
    response = web.get(f"/admin/grants/call/{objects['call'].pk}/change/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
