"""The login lockout keys on username and the real client address: behind the reverse proxy nobody can lock
another person out from elsewhere, and no address written into X-Forwarded-For by a client gets a guesser
past the lockout (issue 14, item 4). The same is driven through a real nginx by `make rehearse`."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from kommunedialog.core.middleware import forwarded_client
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logg-inn/"
PROXY = "10.0.0.5"  # nginx, as the app sees it
ATTACKER = "198.51.100.7"
PERSON = "203.0.113.9"


def attempt(client, username: str, password: str, *, remote: str, forwarded: str | None = None) -> int:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **headers).status_code


@pytest.fixture
def behind_one_proxy(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.usefixtures("behind_one_proxy")
def test_behind_the_proxy_failures_from_elsewhere_do_not_lock_the_person_out(client):
    person = UserFactory()
    statuses = [attempt(client, person.username, "wrong", remote=PROXY, forwarded=ATTACKER) for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # The guesser stays locked, even with the right password …
    assert attempt(client, person.username, PASSWORD, remote=PROXY, forwarded=ATTACKER) == 429
    # … while the person, through the same proxy from their own address, logs in.
    assert attempt(client, person.username, PASSWORD, remote=PROXY, forwarded=PERSON) == 302
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [(person.username, ATTACKER)]


@pytest.mark.usefixtures("behind_one_proxy")
def test_behind_the_proxy_an_address_the_client_wrote_itself_is_not_believed(client):
    """nginx appends the address it saw to what the client sent; only that last entry counts. A guesser
    who claims to be the person is locked under his own address, and the person is not locked."""
    person = UserFactory()
    forged = f"{PERSON}, {ATTACKER}"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, person.username, "wrong", remote=PROXY, forwarded=forged)
    assert attempt(client, person.username, PASSWORD, remote=PROXY, forwarded=forged) == 429
    assert attempt(client, person.username, PASSWORD, remote=PROXY, forwarded=PERSON) == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]


def test_without_a_trusted_proxy_a_forged_header_does_not_get_a_guesser_past_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    person = UserFactory()
    statuses = [
        attempt(client, person.username, "wrong", remote=ATTACKER, forwarded=f"192.0.2.{n}") for n in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert attempt(client, person.username, PASSWORD, remote=ATTACKER, forwarded=PERSON) == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    # Nor can a forged header lock the person out at the address it names.
    assert attempt(client, person.username, PASSWORD, remote=PERSON) == 302


def test_without_a_trusted_proxy_everyone_behind_an_untrusted_proxy_is_one_address(client, settings):
    """What went wrong before: with the proxy not trusted, the proxy's address is everybody's."""
    settings.TRUSTED_PROXY_COUNT = 0
    person = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, person.username, "wrong", remote=PROXY, forwarded=ATTACKER)
    assert attempt(client, person.username, PASSWORD, remote=PROXY, forwarded=PERSON) == 429


@pytest.mark.parametrize(
    ("header", "proxies", "client_address"),
    [
        ("203.0.113.9", 1, "203.0.113.9"),
        ("192.0.2.1, 203.0.113.9", 1, "203.0.113.9"),
        ("192.0.2.1, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        (" 2001:db8::1 ", 1, "2001:db8::1"),
        ("203.0.113.9", 0, None),
        ("", 1, None),
        ("203.0.113.9", 2, None),  # fewer entries than proxies: not through the proxies
        ("not-an-address", 1, None),
        ("192.0.2.1, unknown", 1, None),
    ],
)
def test_the_client_is_the_entry_as_many_from_the_right_as_there_are_proxies(header, proxies, client_address):
    assert forwarded_client(header, proxies) == client_address
