"""Paged lists of the open data API: ``items`` and ``count`` as django-ninja gives them, with ``next`` and
``previous``, the absolute addresses of the neighbouring pages (``null`` at either end), as the good APIs
give them so that a client follows links instead of computing offsets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import LimitOffsetPagination


def page_link(request: HttpRequest, *, offset: int, limit: int) -> str:
    """This request's address with another page's ``offset`` and ``limit``, every other parameter kept."""
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["limit"] = str(limit)
    base = str(settings.PUBLIC_BASE_URL) or f"{request.scheme}://{request.get_host()}"
    return f"{base}{request.path}?{query.urlencode()}"


class LinkedPagination(LimitOffsetPagination):
    class Output(Schema):
        items: list[Any]
        count: int
        next: str | None
        previous: str | None

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page: dict[str, Any] = super().paginate_queryset(queryset, pagination, request, **params)
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        following = offset + limit
        page["next"] = page_link(request, offset=following, limit=limit) if following < page["count"] else None
        page["previous"] = page_link(request, offset=max(offset - limit, 0), limit=limit) if offset > 0 else None
        return page
