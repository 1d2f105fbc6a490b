"""The error pages: in the site's layout and the reader's language, saying what the person can do next.

Django's defaults are bare English pages. These render the same template for every status; the 500 page
falls back to plain HTML if the layout itself cannot be drawn (the error may lie there)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": status, "title": title, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 400, _("The request could not be read"), _("Go back and try again. If it happens again, tell us.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You do not have access to this"),
        _("Your role does not allow this. If you should have access, ask your County Governor office."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "The page or file does not exist, or it is not published. Check the address, or search for the municipality."
        ),
    )


def too_many_requests(request: HttpRequest, retry_after: int = 60) -> HttpResponse:
    response = _page(request, 429, _("Too many requests"), _("Wait a minute and try again."))
    response.headers["Retry-After"] = str(retry_after)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(
            request, 500, _("Something went wrong on our side"), _("The error is logged. Try again in a while.")
        )
    except Exception:
        logger.exception("The error page itself could not be drawn")
        return HttpResponse(
            "<!DOCTYPE html><html lang='nb'><title>500</title><h1>Noe gikk galt / Something went wrong</h1>",
            status=500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid CSRF token: most often a page left open past the session's end."""
    return _page(
        request,
        403,
        _("The form could not be sent"),
        _(
            "The page had been open too long, or you logged out in another window. Go back, reload the page and try again."
        ),
    )
