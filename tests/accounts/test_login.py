from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from kommunedialog.core.middleware import SESSION_STARTED_KEY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logg-inn/"


def test_login_renews_the_session_key(client):
    user = UserFactory()
    client.get(LOGIN)
    before = client.session.session_key
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/konto/meg/")
    assert client.session.session_key != before


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": user.username, "password": "wrong"}).status_code == 200
    locked = client.post(LOGIN, {"username": user.username, "password": "wrong"})
    assert locked.status_code == 429
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The right password during the lockout is refused and counted as one more attempt.
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 6


def test_a_locked_username_does_not_lock_others(client):
    locked, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": locked.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_sessions_expire_after_30_idle_minutes_renewed_by_activity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sessions_end_12_hours_after_login_whatever_the_activity(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/konto/meg/").status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = client.get("/konto/meg/")
    assert (response.status_code, response.headers["Location"]) == (302, "/konto/logg-inn/?next=/konto/meg/")
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced_on_forms(rf):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "x", "password": "y"})
    assert response.status_code == 403
