"""The agreed follow-up actions (added by the office, moved on by whoever owns them) and the
municipality's own history of its kommunebilder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.core.actors import person
from kommunedialog.core.submission import submit
from kommunedialog.profiles import access, follow_up, views
from kommunedialog.profiles.forms import FollowUpForm
from kommunedialog.profiles.models import FollowUpAction
from kommunedialog.profiles.offers import NOTE_STEPS, follow_up_rows, note_form
from kommunedialog.profiles.workflow import FOLLOW_UP


@login_required
@require_POST
def follow_up_add(request: HttpRequest, profile_id: int) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    form = FollowUpForm(request.POST)
    outcome = submit(
        form, lambda: follow_up.follow_up_add(profile=the_profile, actor=person(request), **form.cleaned_data)
    )
    if outcome.saved:
        messages.success(request, _("The follow-up action is added."))
        return redirect("profiles:profile_edit", profile_id=the_profile.pk)
    return views.profile_page(request, the_profile, status=outcome.status, follow_up_form=form)


@login_required
@require_POST
def follow_up_step(request: HttpRequest, action_id: int, step: str) -> HttpResponse:
    """Move an agreed action on, from the office's profile page or the municipality's history page."""
    action = access.follow_up_for(request.user, action_id)
    if step not in FOLLOW_UP.by_action:
        raise Http404("No such step")
    form: forms.Form = note_form(action, step, request.POST) if step in NOTE_STEPS else forms.Form(request.POST)
    outcome = submit(
        form,
        lambda: follow_up.follow_up_take_step(
            action=action, actor=person(request), step=step, note=form.cleaned_data.get("note", "")
        ),
    )
    in_office = account_access.is_office_member(request.user, action.profile.cycle.office)
    if outcome.saved and outcome.result is not None:
        messages.success(
            request,
            _("“%(action)s”: %(state)s.")
            % {"action": action.description[:60], "state": outcome.result.get_state_display()},
        )
        if in_office:
            return redirect("profiles:profile_edit", profile_id=action.profile_id)
        return redirect(f"{_history_url()}#profile-{action.profile_id}")
    bound = {(action.pk, step): form}
    if in_office:
        return views.profile_page(request, action.profile, status=outcome.status, follow_up_forms=bound)
    return history_page(request, status=outcome.status, follow_up_forms=bound)


def _history_url() -> str:
    from django.urls import reverse

    return reverse("profiles:municipality_history")


def history_page(
    request: HttpRequest, *, status: int = 200, follow_up_forms: Mapping[tuple[int, str], forms.BaseForm] | None = None
) -> HttpResponse:
    profiles = access.profiles_for_municipality(request.user).order_by("municipality__name_norwegian", "-cycle__year")
    actor = person(request)
    entries: list[dict[str, Any]] = []
    for profile in profiles:
        responses = profile.consultation_responses.filter(submitted_at__isnull=False).select_related(
            "assessment__cycle_domain", "attachment"
        )
        actions = FollowUpAction.objects.filter(profile=profile).select_related(
            "profile__cycle__office", "profile__municipality"
        )
        entries.append(
            {
                "profile": profile,
                "responses": responses,
                "actions": follow_up_rows(actions, actor, follow_up_forms),
                "snapshot": getattr(profile, "snapshot", None),
            }
        )
    return render(request, "profiles/history.html", {"entries": entries}, status=status)


@login_required
@require_safe
def municipality_history(request: HttpRequest) -> HttpResponse:
    """Every kommunebilde of the person's municipalities from consultation on: state, deadline, the
    responses and attachments, the office's decision on each, the meeting and the agreed actions."""
    if not account_access.municipality_ids_for(request.user):
        raise Http404("No municipality")
    return history_page(request)
