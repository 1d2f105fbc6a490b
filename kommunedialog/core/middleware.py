from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

from kommunedialog.core.text import tidy

SESSION_STARTED_KEY = "kommunedialog_session_started"


class PrivatePagesNoStoreMiddleware:
    """Logged-in pages are never cached; sessions end 12 hours after login whatever the activity.

    Idle expiry (30 minutes) is Django's own SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST;
    the absolute limit is not, so it is enforced here. Also sets the Permissions-Policy header,
    which Django's SecurityMiddleware does not know.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_MAX_SECONDS:
                logout(request)
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def forwarded_client(forwarded_for: str, trusted_proxies: int) -> str | None:
    """The client address in an ``X-Forwarded-For`` value that passed ``trusted_proxies`` proxies.

    Each proxy appends the address it was connected from, so the entry ``trusted_proxies`` from the right
    is the one the outermost trusted proxy saw; everything left of it was written by the client and may be
    forged. None when the header has fewer entries (the request did not come through the proxies) or the
    entry is not an IP address."""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if trusted_proxies < 1 or len(hops) < trusted_proxies:
        return None
    try:
        return str(ipaddress.ip_address(hops[-trusted_proxies]))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Puts the real client address in ``REMOTE_ADDR`` behind ``TRUSTED_PROXY_COUNT`` reverse proxies.

    First in the chain, so the login lockout (django-axes keys on username and address) and everything
    else sees the person's address rather than the proxy's, and an address a client writes into the
    header itself is never believed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.TRUSTED_PROXY_COUNT)
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


class TextHygieneMiddleware:
    """Every text a form posts is tidied (``core.text.tidy``: NFC, no invisible controls) before any view
    or form sees it, so no page, PDF or export can carry a right-to-left override someone typed. Passwords
    are left exactly as typed: they are compared, never shown."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            cleaned = QueryDict(mutable=True, encoding=request.encoding)
            for key, values in request.POST.lists():
                keep = "password" in key
                cleaned.setlist(tidy(key), [value if keep else tidy(value) for value in values])
            cleaned._mutable = False
            request.POST = cleaned  # type: ignore[assignment]
        return self.get_response(request)
