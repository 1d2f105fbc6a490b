"""Staff pages of the kommunebilde, and the municipality's consultation page. Each view: a
permission-checked getter, one service call, a page or an htmx fragment. A posted form goes through
``core.submission.submit``: refusals beside their field, edit conflicts with both versions, nothing lost."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.accounts import access as account_access
from kommunedialog.accounts.models import Role
from kommunedialog.core.actors import person
from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.submission import offers, submit
from kommunedialog.core.uploads import file_response
from kommunedialog.oversight import evidence as oversight_evidence
from kommunedialog.profiles import access, diff, editor, follow_up, national_views, services, signal_rules, snapshot
from kommunedialog.profiles.forms import (
    AssessmentForm,
    ChapterFormSet,
    ConsultationDeadlineForm,
    ConsultationResponseForm,
    CycleOpenForm,
    DecisionForm,
    FollowUpForm,
    MeetingForm,
    ProfileTextsForm,
    chapter_initial,
    included_chapters,
)
from kommunedialog.profiles.models import Assessment, Profile
from kommunedialog.profiles.offers import follow_up_rows
from kommunedialog.profiles.states import EDITABLE, State
from kommunedialog.profiles.workflow import KOMMUNEBILDE
from kommunedialog.registry.models import Office

# The workflow steps a person takes from the profile page: the service, and the form it needs (if any).
STEP_SERVICES: dict[str, Callable[..., Profile]] = {
    "submit_for_review": services.profile_submit_for_review,
    "return_to_draft": services.profile_return_to_draft,
    "send_on_consultation": services.profile_send_on_consultation,
    "close_consultation": services.profile_close_consultation,
    "reopen_consultation": services.profile_reopen_consultation,
    "record_meeting": services.profile_record_meeting,
    "reopen_meeting": services.profile_reopen_meeting,
    "publish": services.profile_publish,
}
STEP_FORMS: dict[str, type[forms.Form]] = {
    "send_on_consultation": ConsultationDeadlineForm,
    "reopen_consultation": ConsultationDeadlineForm,
    "record_meeting": MeetingForm,
}


def _cycles_page(request: HttpRequest, form: CycleOpenForm, chapters: Any, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "profiles/cycles.html",
        {
            "cycles": access.cycles_for_staff(request.user),
            "form": form,
            "chapters": chapters,
            "can_open": bool(account_access.offices_for(request.user, Role.COORDINATOR)),
        },
        status=status,
    )


@login_required
@require_safe
def cycle_list(request: HttpRequest) -> HttpResponse:
    if not account_access.offices_for(request.user):
        # The ministry sees the national picture at the same address (profiles/national_views.py).
        return national_views.national_show(request)
    coordinated = account_access.offices_for(request.user, Role.COORDINATOR)
    office = Office.objects.get(pk=min(coordinated)) if coordinated else None
    return _cycles_page(
        request, CycleOpenForm(office=office), ChapterFormSet(initial=chapter_initial(), prefix="chapters")
    )


@login_required
@require_POST
def cycle_open(request: HttpRequest) -> HttpResponse:
    if not account_access.offices_for(request.user):
        raise Http404("No office")
    office_ids = account_access.offices_for(request.user, Role.COORDINATOR)
    if not office_ids:
        raise PermissionDenied("Only coordinators open cycles")
    office = Office.objects.get(pk=min(office_ids))
    form = CycleOpenForm(request.POST, office=office)
    chapters = ChapterFormSet(request.POST, initial=chapter_initial(), prefix="chapters")
    if not chapters.is_valid():
        form.is_valid()  # so its own errors show too
        return _cycles_page(request, form, chapters, status=400)
    outcome = submit(
        form,
        lambda: services.cycle_open(
            office=office, actor=person(request), domains=included_chapters(chapters), **form.cleaned_data
        ),
    )
    if outcome.saved and outcome.result is not None:
        return redirect("profiles:cycle_show", cycle_id=outcome.result.pk)
    return _cycles_page(request, form, chapters, status=outcome.status)


@login_required
@require_safe
def cycle_show(request: HttpRequest, cycle_id: int) -> HttpResponse:
    the_cycle = access.cycle_for_staff(request.user, cycle_id)
    # Ordered by municipality name only: never by rating (no ranking, BRIEF §2).
    profiles = (
        the_cycle.profiles.select_related("municipality")
        .annotate(
            responses=Count("consultation_responses", filter=Q(consultation_responses__submitted_at__isnull=False))
        )
        .order_by("municipality__name_norwegian")
    )
    sent = [p for p in profiles if p.consultation_sent_at]
    answered = [p for p in sent if p.responses]
    return render(
        request,
        "profiles/cycle.html",
        {
            "cycle": the_cycle,
            "profiles": profiles,
            "sent_count": len(sent),
            "answered_count": len(answered),
            "overdue": follow_up.overdue(list(profiles)),
        },
    )


def assessment_form(assessment: Assessment, data: Any = None) -> AssessmentForm:
    initial = {
        "rating": assessment.rating,
        "competence": assessment.competence,
        "capacity": assessment.capacity,
        "quality": assessment.quality,
        "justification": assessment.justification,
        "departure_reason": assessment.departure_reason,
        "version": assessment.version,
    }
    return AssessmentForm(data, initial=initial, prefix=f"a{assessment.pk}")


def _panel(
    profile: Profile,
    assessment: Assessment,
    evidence: Any,
    figures: Any,
    *,
    form: Any = None,
    conflict: Any = None,
    saved: bool = False,
) -> dict[str, Any]:
    """What one domain's panel shows: the form, the evidence, the figures and the signal."""
    return {
        "profile": profile,
        "assessment": assessment,
        "form": form or assessment_form(assessment),
        "conflict": conflict,
        "saved": saved,
        "evidence": evidence,
        "figures": figures or {},
        "signal": signal_rules.signal_for(assessment.cycle_domain.domain, evidence, figures),
        "editable": profile.state in EDITABLE,
    }


def assessment_panel(profile: Profile, assessment: Assessment, **bound: Any) -> dict[str, Any]:
    domain = assessment.cycle_domain.domain
    evidence = oversight_evidence.for_domain(profile.municipality, domain) if domain else None
    figures = signal_rules.figures_by_domain(profile.municipality, domain).get(domain, {}) if domain else {}
    return _panel(profile, assessment, evidence, figures, **bound)


def editor_context(
    request: HttpRequest,
    profile: Profile,
    *,
    texts_form: ProfileTextsForm | None = None,
    texts_conflict: EditConflict | None = None,
    step_forms: Mapping[str, forms.BaseForm] | None = None,
    panels: Mapping[int, Mapping[str, Any]] | None = None,
    decision_forms: Mapping[int, DecisionForm] | None = None,
    follow_up_form: FollowUpForm | None = None,
    follow_up_forms: Mapping[tuple[int, str], forms.BaseForm] | None = None,
) -> dict[str, Any]:
    """Everything the profile page shows, built once; a view that failed to save passes its bound form
    so the page shows it with what was typed and why it was refused."""
    forms_of_steps: dict[str, forms.BaseForm | None] = dict(step_forms or {})
    panels = panels or {}
    decision_forms = decision_forms or {}
    assessments = profile.assessments.select_related("cycle_domain", "author", "reviewer").order_by(
        "cycle_domain__position"
    )
    evidence: dict[Any, Any] = dict(oversight_evidence.for_municipality(profile.municipality))
    figures = signal_rules.figures_by_domain(profile.municipality)
    items = [
        _panel(
            profile,
            a,
            evidence.get(a.cycle_domain.domain),
            figures.get(a.cycle_domain.domain),
            **panels.get(a.pk, {}),
        )
        for a in assessments
    ]
    refused = next(iter(panels), None)  # a panel handed in is one whose save was refused: it stays open
    current = editor.open_domain(items, request.GET.get(editor.PARAMETER), refused)
    steps = KOMMUNEBILDE.allowed(profile, person(request))
    for step in steps:
        if step.action in STEP_FORMS and step.action not in forms_of_steps:
            initial = (
                {"held_on": profile.meeting_held_on or timezone.localdate()} if step.action == "record_meeting" else {}
            )
            forms_of_steps[step.action] = STEP_FORMS[step.action](auto_id=f"{step.action}_%s", initial=initial)
    responses = list(
        profile.consultation_responses.select_related("assessment__cycle_domain", "attachment").order_by("created_at")
    )
    return {
        "profile": profile,
        "items": items,
        "panel": next((item for item in items if item["assessment"].pk == current), None),
        "domain_list": editor.domain_list(profile, items, current),
        "offers": offers(
            steps,
            url=lambda action: reverse("profiles:profile_take_step", args=[profile.pk, action]),
            step_forms=forms_of_steps,
        ),
        "texts_form": texts_form
        or ProfileTextsForm(
            initial={
                "overall_picture": profile.overall_picture,
                "dialogue_topics": profile.dialogue_topics,
                "version": profile.version,
            }
        ),
        "texts_conflict": texts_conflict,
        "editable": profile.state in EDITABLE,
        "can_show_slides": account_access.is_office_member(request.user, profile.cycle.office, Role.COORDINATOR),
        "responses": [
            (r, decision_forms.get(r.pk) or DecisionForm(auto_id=f"r{r.pk}_%s")) for r in responses if r.submitted_at
        ],
        "follow_up_form": follow_up_form or FollowUpForm(),
        "follow_ups": follow_up_rows(
            profile.follow_up_actions.select_related("profile__cycle__office", "profile__municipality"),
            person(request),
            follow_up_forms,
        ),
        "earlier_actions": follow_up.open_from_earlier(profile),
        "changes": diff.changes(
            profile.consultation_content,
            snapshot.freeze(profile, published_at=timezone.now(), data_as_of=timezone.localdate()),
        )
        if profile.consultation_content
        else None,
    }


def profile_page(request: HttpRequest, profile: Profile, status: int = 200, **bound: Any) -> HttpResponse:
    return render(request, "profiles/profile.html", editor_context(request, profile, **bound), status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    """The profile page; a POST saves the overall picture and the topics for the meeting."""
    the_profile = access.profile_for_staff(request.user, profile_id)
    if request.method != "POST":
        return profile_page(request, the_profile)
    form = ProfileTextsForm(request.POST)
    outcome = submit(
        form,
        lambda: services.profile_update_texts(
            profile=the_profile,
            actor=person(request),
            expected_version=form.cleaned_data["version"],
            overall_picture=form.cleaned_data["overall_picture"],
            dialogue_topics=form.cleaned_data["dialogue_topics"],
        ),
    )
    if outcome.saved:
        messages.success(request, _("Saved."))
        return redirect("profiles:profile_edit", profile_id=the_profile.pk)
    the_profile.refresh_from_db()
    return profile_page(request, the_profile, status=outcome.status, texts_form=form, texts_conflict=outcome.conflict)


@login_required
@require_POST
def assessment_save(request: HttpRequest, profile_id: int, assessment_id: int) -> HttpResponse:
    """Save one domain's rating. Under htmx the domain's panel comes back alone, saved or with the reason
    and everything typed; without JavaScript the whole page does."""
    the_profile = access.profile_for_staff(request.user, profile_id)
    item = get_object_or_404(
        Assessment.objects.select_related("cycle_domain", "author", "reviewer"), pk=assessment_id, profile=the_profile
    )
    form = assessment_form(item, request.POST)
    outcome = submit(
        form,
        lambda: services.assessment_update(
            assessment=item,
            actor=person(request),
            expected_version=form.cleaned_data["version"],
            **{k: v for k, v in form.cleaned_data.items() if k != "version"},
        ),
    )
    if outcome.saved and outcome.result is not None:
        if request.htmx:  # type: ignore[attr-defined]
            saved = outcome.result
            panel = assessment_panel(the_profile, saved, form=assessment_form(saved), saved=True)
            # The side list of every domain's state comes along, swapped in out of band.
            every = the_profile.assessments.select_related("cycle_domain").order_by("cycle_domain__position")
            panel["domain_list_oob"] = editor.domain_list(the_profile, [{"assessment": a} for a in every], saved.pk)
            return render(request, "profiles/_assessment.html", panel)
        messages.success(request, _("Saved."))
        return redirect(editor.domain_url(the_profile, item.pk))
    item.refresh_from_db()
    if request.htmx:  # type: ignore[attr-defined]
        panel = assessment_panel(the_profile, item, form=form, conflict=outcome.conflict)
        return render(request, "profiles/_assessment.html", panel, status=outcome.status)
    return profile_page(
        request, the_profile, status=outcome.status, panels={item.pk: {"form": form, "conflict": outcome.conflict}}
    )


@login_required
@require_POST
def profile_take_step(request: HttpRequest, profile_id: int, action: str) -> HttpResponse:
    """A workflow step from the profile page, with its form where the step needs one (a deadline, the
    meeting record)."""
    the_profile = access.profile_for_staff(request.user, profile_id)
    service = STEP_SERVICES.get(action)
    if service is None:
        raise Http404("No such step")
    form_class = STEP_FORMS.get(action, forms.Form)
    form = form_class(request.POST, auto_id=f"{action}_%s")
    outcome = submit(form, lambda: service(profile=the_profile, actor=person(request), **form.cleaned_data))
    if outcome.saved and outcome.result is not None:
        messages.success(request, _("Done: %(state)s.") % {"state": State(outcome.result.state).label})
        return redirect("profiles:profile_edit", profile_id=the_profile.pk)
    return profile_page(request, the_profile, status=outcome.status, step_forms={action: form})


@login_required
@require_POST
def response_decide(request: HttpRequest, profile_id: int, response_id: int) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    response = get_object_or_404(the_profile.consultation_responses, pk=response_id)
    form = DecisionForm(request.POST, auto_id=f"r{response.pk}_%s")
    outcome = submit(
        form, lambda: services.consultation_decide(response=response, actor=person(request), **form.cleaned_data)
    )
    if outcome.saved:
        messages.success(request, _("The decision is recorded."))
        return redirect("profiles:profile_edit", profile_id=the_profile.pk)
    return profile_page(request, the_profile, status=outcome.status, decision_forms={response.pk: form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_respond(request: HttpRequest, profile_id: int) -> HttpResponse:
    """The municipality's page while its kommunebilde is on consultation: read it and respond."""
    the_profile = access.profile_for_consultation(request.user, profile_id)
    assessments = list(the_profile.assessments.select_related("cycle_domain").order_by("cycle_domain__position"))
    form = ConsultationResponseForm(request.POST or None, request.FILES or None, assessments=assessments)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: services.consultation_respond(
                profile=the_profile,
                actor=person(request),
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                assessment=next((a for a in assessments if a.pk == form.cleaned_data["assessment"]), None),
                attachment=form.cleaned_data.get("attachment"),
            ),
        )
        if outcome.saved:
            messages.success(request, _("Your response is submitted. Thank you."))
            return redirect("profiles:consultation_respond", profile_id=the_profile.pk)
        status = outcome.status
    context = {
        "profile": the_profile,
        "content": the_profile.consultation_content,
        "form": form,
        "responses": the_profile.consultation_responses.filter(author_id=request.user.pk).select_related(
            "assessment__cycle_domain", "attachment"
        ),
        "open": the_profile.state == State.CONSULTATION,
    }
    return render(request, "profiles/consultation.html", context, status=status)


@login_required
@require_safe
def attachment_download(request: HttpRequest, profile_id: int, response_id: int) -> HttpResponseBase:
    """A response's attachment, for the office and for the municipality that sent it; 404 to anyone else."""
    try:
        the_profile = access.profile_for_staff(request.user, profile_id)
    except Http404:
        the_profile = get_object_or_404(access.profiles_for_municipality(request.user), pk=profile_id)
    response = get_object_or_404(
        the_profile.consultation_responses.select_related("attachment"), pk=response_id, attachment__isnull=False
    )
    assert response.attachment is not None
    return file_response(response.attachment)
