from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

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
