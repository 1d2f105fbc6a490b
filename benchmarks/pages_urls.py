"""The project's URLs plus an empty page: the site's layout with nothing in it, rendered through the
same middleware. It is the baseline the page benchmark measures against."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def empty(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [path("__empty__/", empty), path("", include("config.urls"))]
