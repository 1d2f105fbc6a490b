"""OpenID Connect login against a real (local, fake) provider: ID-porten for municipality users with
the assurance level checked, Entra ID for staff, roles from the explicit claim-rule table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import override_settings
from joserfc.jwk import RSAKey

from kommunedialog.accounts.models import ClaimRoleRule, OidcIdentity, Role, RoleAssignment, User
from kommunedialog.accounts.oidc import national_id_hash
from kommunedialog.core.models import AuditEvent
from kommunedialog.registry.models import Municipality, Office
from tests.fakes.oidc_provider import FakeOidcProvider

pytestmark = pytest.mark.django_db
PID = "01017012345"  # a made-up number of the right shape


@pytest.fixture(scope="module")
def idporten():
    provider = FakeOidcProvider(client_id="kommunedialog-idporten").start()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def entra():
    provider = FakeOidcProvider(client_id="kommunedialog-entra").start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def configured(idporten, entra):
    providers = {
        "idporten": idporten.settings(
            "ID-porten",
            acr_values="idporten-loa-substantial",
            required_acr=["idporten-loa-substantial", "idporten-loa-high"],
        ),
        "entra": entra.settings("Entra ID"),
    }
    with override_settings(OIDC_PROVIDERS=providers):
        yield


@pytest.fixture
def hjelmeland_rule():
    return ClaimRoleRule.objects.create(
        provider="idporten",
        claim="pid",
        value=national_id_hash(PID),
        role=Role.MUNICIPALITY_USER,
        municipality=Municipality.objects.current().get(number="1133"),
    )


def log_in_through(client, provider: FakeOidcProvider, key: str, claims: dict):
    """Follow the whole code flow: our redirect → the provider → our callback (which calls the token endpoint)."""
    provider.next_claims = claims
    start = client.get(f"/konto/oidc/{key}/logg-inn/")
    assert start.status_code == 302
    authorize = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert authorize.status_code == 302
    callback = urlparse(authorize.headers["Location"])
    return start, client.get(callback.path, parse_qs(callback.query))


def test_municipality_user_logs_in_with_idporten_at_level_substantial(client, idporten, hjelmeland_rule):
    start, response = log_in_through(
        client, idporten, "idporten", {"sub": "pairwise-1", "pid": PID, "acr": "idporten-loa-substantial"}
    )
    assert parse_qs(urlparse(start.headers["Location"]).query)["acr_values"] == ["idporten-loa-substantial"]
    assert (response.status_code, response.headers["Location"]) == (302, "/konto/meg/")
    user = User.objects.get(oidc_identities__provider="idporten", oidc_identities__subject="pairwise-1")
    assert [(a.role, a.municipality.number, a.source) for a in user.role_assignments.all()] == [
        ("municipality_user", "1133", "idporten")
    ]
    assert client.get("/konto/meg/").status_code == 200


def test_the_national_identity_number_is_never_stored_in_clear(client, idporten, hjelmeland_rule):
    log_in_through(client, idporten, "idporten", {"sub": "pairwise-2", "pid": PID, "acr": "idporten-loa-high"})
    identity = OidcIdentity.objects.get(subject="pairwise-2")
    assert identity.national_id_hash == national_id_hash(PID) != PID
    user = identity.user
    stored = [user.username, user.first_name, user.last_name, user.email, identity.subject]
    stored += [str(e.before) + str(e.after) + e.object_repr for e in AuditEvent.objects.all()]
    assert not any(PID in text for text in stored)
    page = client.get("/konto/meg/").content.decode()
    assert PID not in page


def test_a_login_below_level_substantial_is_refused_and_writes_nothing(client, idporten, hjelmeland_rule):
    users, audits = User.objects.count(), AuditEvent.objects.count()
    _, response = log_in_through(
        client, idporten, "idporten", {"sub": "pairwise-3", "pid": PID, "acr": "idporten-loa-low"}
    )
    assert response.status_code == 403
    assert "Innloggingen ble ikke godtatt." in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, audits)
    assert "_auth_user_id" not in client.session


def test_a_person_without_a_rule_is_refused(client, idporten):
    users = User.objects.count()
    _, response = log_in_through(
        client, idporten, "idporten", {"sub": "pairwise-4", "pid": "02029912345", "acr": "idporten-loa-high"}
    )
    assert response.status_code == 403
    assert User.objects.count() == users


def test_a_forged_token_is_refused(client, idporten, hjelmeland_rule):
    idporten.signing_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    try:
        _, response = log_in_through(
            client, idporten, "idporten", {"sub": "pairwise-5", "pid": PID, "acr": "idporten-loa-high"}
        )
    finally:
        idporten.signing_key = idporten.key
    assert response.status_code == 403
    assert not OidcIdentity.objects.filter(subject="pairwise-5").exists()


def test_a_replayed_nonce_is_refused(client, idporten, hjelmeland_rule):
    idporten.nonce_override = "someone-elses-nonce"
    try:
        _, response = log_in_through(
            client, idporten, "idporten", {"sub": "pairwise-6", "pid": PID, "acr": "idporten-loa-high"}
        )
    finally:
        idporten.nonce_override = None
    assert response.status_code == 403
    assert not OidcIdentity.objects.filter(subject="pairwise-6").exists()


def test_staff_log_in_with_entra_and_roles_follow_the_claims(client, entra):
    rogaland, vestland = Office.objects.get(code="rogaland"), Office.objects.get(code="vestland")
    ClaimRoleRule.objects.create(
        provider="entra", claim="roles", value="Staff.Rogaland", role=Role.STAFF, office=rogaland
    )
    ClaimRoleRule.objects.create(
        provider="entra", claim="roles", value="Staff.Vestland", role=Role.STAFF, office=vestland
    )
    claims = {"sub": "entra-oid-1", "roles": ["Staff.Rogaland"], "given_name": "Siri", "family_name": "Staff"}
    _, response = log_in_through(client, entra, "entra", claims)
    assert response.status_code == 302
    user = User.objects.get(oidc_identities__subject="entra-oid-1")
    assert (user.first_name, user.last_name) == ("Siri", "Staff")
    assert list(user.role_assignments.values_list("role", "office__code")) == [("staff", "rogaland")]
    # She moves office: the next login takes the old role away and gives the new one.
    client.logout()
    log_in_through(client, entra, "entra", {**claims, "roles": ["Staff.Vestland"]})
    assert list(user.role_assignments.values_list("role", "office__code")) == [("staff", "vestland")]
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="role_revoke", before__role="staff").count() == 1


def test_unknown_providers_are_404(client):
    assert client.get("/konto/oidc/facebook/logg-inn/").status_code == 404
    assert client.get("/konto/oidc/facebook/callback/").status_code == 404


def test_the_login_page_offers_the_configured_providers(client):
    html = client.get("/konto/logg-inn/").content.decode()
    assert "Logg inn med ID-porten" in html or "Log in with ID-porten" in html
    assert 'href="/konto/oidc/entra/logg-inn/"' in html
