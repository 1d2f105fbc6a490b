"""The project's URLs plus views that fail, so the error pages can be asked for as a visitor meets them."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("A test failure")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("A malformed request")


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    *urlpatterns,
]
