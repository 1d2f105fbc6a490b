"""How the open data API (/api/v1/) answers over HTTP, whatever the endpoint (docs/opendata.md, "HTTP"):

- **Rate limit.** ``API_RATE_LIMIT`` requests per client address in each ``API_RATE_LIMIT_PERIOD`` seconds
  (a fixed window counted in Django's cache, so every app server shares it when the cache is Redis); the
  next one is answered 429 with ``Retry-After``, the seconds until the window ends. Every answer says
  where the client stands in ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``. When
  the cache does not answer, the API answers without a limit (and logs it) rather than failing.
- **Conditional requests.** A public answer carries ``Last-Modified`` (the endpoint's own, else the newest
  change of any open dataset; the server's start when that is later, as a new release may change an
  answer without changing the data) and an ``ETag`` (a hash of the body; for a streamed download, a weak
  one of its address and ``Last-Modified``), and ``If-None-Match``/``If-Modified-Since`` get 304.
- **CORS.** Any origin may read (``Access-Control-Allow-Origin: *``, no credentials), and a preflight
  ``OPTIONS`` is answered 204 for GET and HEAD.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from kommunedialog.api import catalog

logger = logging.getLogger(__name__)
PREFIX = "/api/v1/"
SAFE = ("GET", "HEAD")
EXPOSED = (
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Link",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
)
PREFLIGHT_MAX_AGE = 86400
# A new release may change what an address answers without any data changing.
SERVING_SINCE = timezone.now().replace(microsecond=0)


def newest_change() -> dt.datetime:
    """The newest change of any open dataset, or the server's start if later."""
    modified = catalog.catalogue_modified(catalog.datasets_now())
    return max(modified, SERVING_SINCE) if modified is not None else SERVING_SINCE


class RateLimit:
    """A fixed window per client address, counted in the cache."""

    def __init__(self, limit: int, period: int) -> None:
        self.limit, self.period = limit, period

    def count(self, address: str, now: float) -> tuple[int, int]:
        """This request's number in its window, and the whole seconds until the window ends."""
        window = int(now // self.period)
        key = f"api-rate:{address}:{window}"
        cache.add(key, 0, timeout=self.period + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr: the window has just turned
            cache.add(key, 1, timeout=self.period + 1)
            used = 1
        return used, max(1, math.ceil((window + 1) * self.period - now))


def _cors(response: HttpResponseBase) -> None:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Accept, Accept-Language"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def _validators(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    own = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    if own is None:
        response["Last-Modified"] = http_date(newest_change().timestamp())
    else:  # an endpoint's own time, unless a release since may have changed the answer
        response["Last-Modified"] = http_date(max(own, SERVING_SINCE.timestamp()))
    if not response.has_header("ETag"):
        if response.streaming:
            seed = f"{request.get_full_path()}|{response['Last-Modified']}|{response.get('Content-Type', '')}"
            response["ETag"] = f'W/"{hashlib.sha256(seed.encode()).hexdigest()[:32]}"'
        else:
            set_response_etag(response)
    answer = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=cast(HttpResponse, response),  # Django's stubs say HttpResponse; a streamed one works the same
    )
    return answer if answer is not None else response


class OpenDataApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        limit = RateLimit(int(settings.API_RATE_LIMIT), int(settings.API_RATE_LIMIT_PERIOD))
        quota: tuple[int, int] | None = None
        if limit.limit > 0:
            try:
                quota = limit.count(request.META.get("REMOTE_ADDR", ""), time.time())
            except Exception:  # the cache is down: answer without a limit rather than not at all
                logger.warning("API rate limit not counted: the cache did not answer", exc_info=True)
        response: HttpResponseBase
        if quota is not None and quota[0] > limit.limit:
            response = JsonResponse(
                {"detail": f"Too many requests: at most {limit.limit} every {limit.period} seconds. Try again later."},
                status=429,
            )
            response["Retry-After"] = str(quota[1])
        elif request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = _preflight()
        else:
            response = self.get_response(request)
            if request.method in SAFE and response.status_code == 200:
                response = _validators(request, response)
        if quota is not None:
            response["RateLimit-Limit"] = str(limit.limit)
            response["RateLimit-Remaining"] = str(max(0, limit.limit - quota[0]))
            response["RateLimit-Reset"] = str(quota[1])
        _cors(response)
        return response
