"""The feedback form's answer (POST from any page's layout, with or without htmx) and the administrators'
summary per page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
from kommunedialog.core.refusal import Refused
from kommunedialog.publicsite import feedback

THANKS = "takk"
TOO_MANY = "for-mange"
CHOOSE = "velg"
FRAGMENT = "core/_feedback.html"


def _answer(request: HttpRequest, path: str, state: str, status: int = 200) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, FRAGMENT, {"feedback_state": state, "feedback_path": path}, status=status)
    return HttpResponseRedirect(f"{path}?tilbakemelding={state}#tilbakemelding")


@require_POST
def feedback_give(request: HttpRequest) -> HttpResponse:
    form = feedback.FeedbackForm(request.POST)
    try:
        path = feedback.clean_path(request.POST.get("path", ""))
    except Refused:
        return render(request, FRAGMENT, {"feedback_form": form, "feedback_path": "/"}, status=400)
    if not form.is_valid():
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, FRAGMENT, {"feedback_form": form, "feedback_path": path}, status=400)
        return HttpResponseRedirect(f"{path}?tilbakemelding={CHOOSE}#tilbakemelding")
    if feedback.over_limit(request.META.get("REMOTE_ADDR", "")):
        return _answer(request, path, TOO_MANY, status=429)
    feedback.feedback_give(
        path=path,
        found=form.cleaned_data["found"],
        comment=form.cleaned_data["comment"],
        language=get_language() or "",
    )
    return _answer(request, path, THANKS)


@require_safe
@login_required
def feedback_summary(request: HttpRequest) -> HttpResponse:
    """For administrators: per page, how many found what they looked for and how many did not, with the
    latest comments. Pages alphabetically by address."""
    if not access.has_role(request.user, Role.ADMIN):
        raise PermissionDenied
    pages = feedback.summary()
    return render(
        request,
        "publicsite/feedback_summary.html",
        {"pages": pages, "total": sum(p.total for p in pages)},
    )
