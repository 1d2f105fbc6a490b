"""The permission matrix: every URL of the project × every actor × GET and POST, against the declared
access policy (``<app>/policy.py``, format in kommunedialog/core/policy.py).

A URL that no policy lists fails, so every new page is covered the day it lands. A refused POST must
change nothing: no audit event and no row added or removed anywhere (on PostgreSQL, none updated either).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from kommunedialog.accounts.models import User
from kommunedialog.core.models import AuditEvent
from kommunedialog.core.policy import DENIED, Access, Scenario, Visitor
from tests.factories import UserFactory
from tests.policy_walk import build_urls, fingerprint, iter_routes, load_policy, policy_for
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


LOGIN_PATHS = ("/konto/logg-inn/", "/admin/login/")


def is_login_redirect(response: Any) -> bool:
    return response.status_code in (301, 302) and response.headers.get("Location", "").startswith(LOGIN_PATHS)


def let_in(response: Any, access: Access) -> bool:
    if response.status_code in access.allowed_extra:
        return True
    # 400 (invalid form) and 409 (edit conflict) mean the request reached the view and was handled.
    return (response.status_code < 400 or response.status_code in {400, 409}) and not is_login_redirect(response)


def refused(response: Any, access: Access) -> bool:
    if response.status_code not in access.denied_status:
        return False
    return response.status_code != 302 or is_login_redirect(response)


@pytest.fixture
def actors() -> dict[Visitor, Any]:
    return {
        Visitor.ANONYMOUS: None,
        Visitor.MUNICIPALITY_OWN: UserFactory(role="municipality_user", municipality="1133"),
        Visitor.MUNICIPALITY_OTHER: UserFactory(role="municipality_user", municipality="1134"),
        Visitor.STAFF_OWN: UserFactory(role="staff", office="rogaland"),
        Visitor.STAFF_OTHER: UserFactory(role="staff", office="vestland"),
        Visitor.COORDINATOR: UserFactory(role="coordinator", office="rogaland"),
        Visitor.MINISTRY: UserFactory(role="ministry"),
        Visitor.ADMIN: UserFactory(role="admin"),
    }


@pytest.fixture
def scenario() -> Scenario:
    return make_scenario()


def signed_in(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_answers_every_actor_as_its_policy_says(actors, scenario, capsys):
    policy = load_policy()
    # One signed-in client per actor, replaced after every POST it was let through (that may have signed it
    # out or changed its session); a refused request changes nothing, which this test checks.
    clients = {actor: signed_in(user) for actor, user in actors.items()}
    failures: list[str] = []
    checked = 0
    seen_names: set[str] = set()
    for route in iter_routes():
        if route.regex.startswith(settings.STATIC_URL.lstrip("/")):
            continue  # static files in development; not part of the application
        access = policy_for(policy, route)
        if access is None:
            failures.append(f"{route.name or route.regex}: no access policy declares this URL")
            continue
        seen_names.add(route.name or "")
        for url in build_urls(route, access, scenario):
            for actor, user in actors.items():
                for method in ("get", "post"):
                    allowed = access.get if method == "get" else (access.post or frozenset())
                    client = clients[actor]
                    before = fingerprint() if actor not in allowed and method == "post" else None
                    audit_before = AuditEvent.objects.count()
                    response = getattr(client, method)(url)
                    checked += 1
                    if method == "post" and actor in allowed:
                        clients[actor] = signed_in(user)
                    where = f"{method.upper()} {url} as {actor}: {response.status_code}"
                    if actor in allowed:
                        if not let_in(response, access):
                            failures.append(f"{where}, expected to be let in")
                    elif not refused(response, access):
                        failures.append(f"{where}, expected one of {sorted(access.denied_status)}")
                    elif before is not None and (fingerprint() != before or AuditEvent.objects.count() != audit_before):
                        failures.append(f"{where}: refused, but the database changed")
    stale = {name for name in policy if not name.endswith((":*", ":<unnamed>"))} - seen_names
    failures.extend(f"{name}: declared in a policy but no such URL" for name in sorted(stale))
    with capsys.disabled():
        print(f"\npermission matrix: checked={checked} failures={len(failures)}")
    assert failures == [], "\n".join(failures)


def test_unpublished_material_must_be_hidden_as_404():
    """Kommunebilde pages that show drafts narrow refusals to 404 (or the login page for anonymous
    visitors): never 403, which would say that the draft exists."""
    for name, access in load_policy().items():
        # Pages without an object in their address (lists, the opening form, the municipality's own
        # history) say nothing about whether a draft exists, so 403 is honest there.
        if name.startswith("profiles:") and name not in {
            "profiles:cycle_list",
            "profiles:cycle_open",
            "profiles:municipality_history",
        }:
            assert 403 not in access.denied_status, name
            assert 404 in access.denied_status, name


def test_denied_is_the_default_refusal_set():
    assert frozenset({302, 403, 404, 405}) == DENIED


def test_the_fingerprint_sees_a_row_added_and_on_postgresql_a_row_changed():
    user = UserFactory(role="ministry")
    before = fingerprint()
    assert fingerprint() == before
    UserFactory(role="ministry")
    assert fingerprint() != before
    if connection.vendor == "postgresql":
        before = fingerprint()
        User.objects.filter(pk=user.pk).update(first_name="Endra")
        assert fingerprint() != before
