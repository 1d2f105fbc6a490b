"""Staff pages of the kommunebilde, and the municipality's consultation page. Each view: a
permission-checked getter, one service call, a page or an htmx fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kommunedialog.accounts import access as account_access
from kommunedialog.accounts.models import Role
from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.uploads import UploadRejected, file_response
from kommunedialog.oversight import evidence as oversight_evidence
from kommunedialog.profiles import access, diff, services, signal_rules, snapshot, workflow
from kommunedialog.profiles.forms import (
    AssessmentForm,
    ChapterFormSet,
    ConsultationDeadlineForm,
    ConsultationResponseForm,
    CycleOpenForm,
    FollowUpForm,
    MeetingForm,
    ProfileTextsForm,
    chapter_initial,
    included_chapters,
)
from kommunedialog.profiles.models import Assessment, Profile
from kommunedialog.profiles.workflow import State, TransitionRefused


@login_required
@require_http_methods(["GET", "POST"])
def cycles(request: HttpRequest) -> HttpResponse:
    offices = account_access.offices_for(request.user)
    if not offices:
        raise Http404("No office")
    coordinator_offices = account_access.offices_for(request.user, Role.COORDINATOR)
    form = CycleOpenForm(request.POST or None)
    chapters = ChapterFormSet(request.POST or None, initial=chapter_initial(), prefix="chapters")
    status = 200
    if request.method == "POST":
        if not coordinator_offices:
            raise PermissionDenied("Only coordinators open cycles")
        if form.is_valid() and chapters.is_valid():
            from kommunedialog.registry.models import Office

            office = Office.objects.get(pk=sorted(coordinator_offices)[0])
            try:
                cycle = services.cycle_open(
                    office=office, actor=request.user, domains=included_chapters(chapters), **form.cleaned_data
                )
            except IntegrityError:
                form.add_error("name", _("The office already has a cycle with this name."))
            else:
                return redirect("profiles:cycle", cycle_id=cycle.pk)
        status = 400
    return render(
        request,
        "profiles/cycles.html",
        {
            "cycles": access.cycles_for_staff(request.user),
            "form": form,
            "chapters": chapters,
            "can_open": bool(coordinator_offices),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
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
        {"cycle": the_cycle, "profiles": profiles, "sent_count": len(sent), "answered_count": len(answered)},
    )


def _editor_context(request: HttpRequest, profile: Profile, **extra: Any) -> dict[str, Any]:
    assessments = list(
        profile.assessments.select_related("cycle_domain", "author", "reviewer").order_by("cycle_domain__position")
    )
    forms = {a.pk: _assessment_form(a) for a in assessments}
    # The oversight records each domain rests on (tilsyn, plans, ROBEK, complaints, cooperation), for staff.
    evidence: dict[Any, Any] = dict(oversight_evidence.for_municipality(profile.municipality))
    figures = signal_rules.figures_by_domain(profile.municipality)
    changes = (
        diff.changes(
            profile.consultation_content,
            snapshot.freeze(profile, published_at=timezone.now(), data_as_of=timezone.localdate()),
        )
        if profile.consultation_content
        else None
    )
    return {
        "profile": profile,
        "items": [
            (
                a,
                forms[a.pk],
                evidence.get(a.cycle_domain.domain),
                signal_rules.signal_for(
                    a.cycle_domain.domain, evidence.get(a.cycle_domain.domain), figures.get(a.cycle_domain.domain)
                ),
                figures.get(a.cycle_domain.domain, {}),
            )
            for a in assessments
        ],
        "texts_form": extra.pop("texts_form", None)
        or ProfileTextsForm(
            initial={
                "overall_picture": profile.overall_picture,
                "dialogue_topics": profile.dialogue_topics,
                "version": profile.version,
            }
        ),
        "actions": workflow.allowed_actions(profile, request.user),
        "editable": profile.state in services.EDITABLE,
        "responses": profile.consultation_responses.select_related("assessment__cycle_domain").order_by("created_at"),
        "deadline_form": ConsultationDeadlineForm(),
        "meeting_form": MeetingForm(initial={"held_on": profile.meeting_held_on}),
        "follow_up_form": FollowUpForm(),
        "follow_ups": profile.follow_up_actions.all(),
        "changes": changes,
        **extra,
    }


def _assessment_form(assessment: Assessment, data: Any = None) -> AssessmentForm:
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    if request.method == "POST":
        form = ProfileTextsForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update_texts(
                    profile=the_profile,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    overall_picture=form.cleaned_data["overall_picture"],
                    dialogue_topics=form.cleaned_data["dialogue_topics"],
                )
            except EditConflict as conflict:
                the_profile.refresh_from_db()
                form = ProfileTextsForm({**request.POST.dict(), "version": conflict.current_version})
                return render(
                    request,
                    "profiles/profile.html",
                    _editor_context(request, the_profile, texts_form=form, texts_conflict=conflict),
                    status=409,
                )
            except TransitionRefused as refused:
                messages.error(request, refused.reason)
            else:
                messages.success(request, _("Saved."))
            return redirect("profiles:profile", profile_id=the_profile.pk)
        return render(
            request, "profiles/profile.html", _editor_context(request, the_profile, texts_form=form), status=400
        )
    return render(request, "profiles/profile.html", _editor_context(request, the_profile))


@login_required
@require_POST
def assessment(request: HttpRequest, profile_id: int, assessment_id: int) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    item = get_object_or_404(
        Assessment.objects.select_related("cycle_domain", "author", "reviewer"), pk=assessment_id, profile=the_profile
    )
    form = _assessment_form(item, request.POST)
    status, conflict, saved = 200, None, False
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            item = services.assessment_update(
                assessment=item, actor=request.user, expected_version=form.cleaned_data["version"], **data
            )
            form, saved = _assessment_form(item), True
        except EditConflict as caught:
            conflict, status = caught, 409
            form = AssessmentForm(
                {**request.POST.dict(), f"a{item.pk}-version": caught.current_version}, prefix=f"a{item.pk}"
            )
            form.is_valid()
        except TransitionRefused as refused:
            form.add_error(None, refused.reason)
            status = 400
        except services.SignalDeparture as departure:
            form.add_error("departure_reason", str(departure))
            status = 400
    else:
        status = 400
    domain = item.cycle_domain.domain
    domain_evidence = oversight_evidence.for_domain(the_profile.municipality, domain) if domain else None
    figures = signal_rules.figures_by_domain(the_profile.municipality, domain).get(domain, {}) if domain else {}
    context = {
        "evidence": domain_evidence,
        "figures": figures,
        "signal": signal_rules.signal_for(domain, domain_evidence, figures),
        "profile": the_profile,
        "assessment": item,
        "form": form,
        "conflict": conflict,
        "saved": saved,
        "editable": True,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "profiles/_assessment.html", context, status=status)
    if status == 200:
        messages.success(request, _("Saved."))
        return redirect("profiles:profile", profile_id=the_profile.pk)
    return render(request, "profiles/profile.html", _editor_context(request, the_profile), status=status)


@login_required
@require_POST
def transition(request: HttpRequest, profile_id: int, action: str) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    if action not in workflow.BY_ACTION or action == "supersede":
        raise Http404("No such action")
    try:
        if action in {"send_on_consultation", "reopen_consultation"}:
            form = ConsultationDeadlineForm(request.POST)
            if not form.is_valid():
                raise TransitionRefused(action, "; ".join(str(e) for errors in form.errors.values() for e in errors))
            getattr(services, f"profile_{action}")(
                profile=the_profile, actor=request.user, deadline=form.cleaned_data["deadline"]
            )
        elif action == "record_meeting":
            meeting = MeetingForm(request.POST)
            if not meeting.is_valid():
                raise TransitionRefused(action, _("Give the date of the meeting."))
            services.profile_record_meeting(profile=the_profile, actor=request.user, **meeting.cleaned_data)
        else:
            getattr(services, f"profile_{action}")(profile=the_profile, actor=request.user)
    except (TransitionRefused, PermissionDenied, ValueError) as refused:
        messages.error(request, getattr(refused, "reason", str(refused)))
    else:
        messages.success(
            request, _("Done: %(state)s.") % {"state": State(Profile.objects.get(pk=the_profile.pk).state).label}
        )
    return redirect("profiles:profile", profile_id=the_profile.pk)


@login_required
@require_POST
def decide(request: HttpRequest, profile_id: int, response_id: int) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    response = get_object_or_404(the_profile.consultation_responses, pk=response_id)
    try:
        services.consultation_decide(
            response=response,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except (TransitionRefused, ValueError) as refused:
        messages.error(request, getattr(refused, "reason", str(refused)))
    return redirect("profiles:profile", profile_id=the_profile.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation(request: HttpRequest, profile_id: int) -> HttpResponse:
    the_profile = access.profile_for_consultation(request.user, profile_id)
    assessments = list(the_profile.assessments.select_related("cycle_domain").order_by("cycle_domain__position"))
    form = ConsultationResponseForm(request.POST or None, request.FILES or None, assessments=assessments)
    if request.method == "POST" and form.is_valid():
        chosen = next((a for a in assessments if a.pk == form.cleaned_data["assessment"]), None)
        try:
            services.consultation_respond(
                profile=the_profile,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                assessment=chosen,
                attachment=form.cleaned_data.get("attachment"),
            )
        except TransitionRefused as refused:
            messages.error(request, refused.reason)
        except UploadRejected as rejected:
            form.add_error("attachment", rejected)
            return render(
                request, "profiles/consultation.html", _consultation_context(request, the_profile, form), status=400
            )
        else:
            messages.success(request, _("Your response is submitted. Thank you."))
        return redirect("profiles:consultation", profile_id=the_profile.pk)
    return render(
        request,
        "profiles/consultation.html",
        _consultation_context(request, the_profile, form),
        status=400 if request.method == "POST" else 200,
    )


def _consultation_context(request: HttpRequest, profile: Profile, form: ConsultationResponseForm) -> dict[str, Any]:
    return {
        "profile": profile,
        "content": profile.consultation_content,
        "form": form,
        "responses": profile.consultation_responses.filter(author_id=request.user.pk).select_related(
            "assessment__cycle_domain", "attachment"
        ),
        "open": profile.state == State.CONSULTATION,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, profile_id: int, response_id: int) -> HttpResponseBase:
    """A response's attachment, for the office and for the municipality that sent it; 404 to anyone else."""
    try:
        the_profile = access.profile_for_staff(request.user, profile_id)
    except Http404:
        the_profile = access.profile_for_consultation(request.user, profile_id)
    response = get_object_or_404(
        the_profile.consultation_responses.select_related("attachment"), pk=response_id, attachment__isnull=False
    )
    assert response.attachment is not None
    return file_response(response.attachment)


@login_required
@require_POST
def follow_up(request: HttpRequest, profile_id: int) -> HttpResponse:
    the_profile = access.profile_for_staff(request.user, profile_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_add(profile=the_profile, actor=request.user, **form.cleaned_data)
        except (TransitionRefused, ValueError) as refused:
            messages.error(request, getattr(refused, "reason", str(refused)))
    else:
        messages.error(request, _("An agreed action needs a description, an owner and a due date."))
    return redirect("profiles:profile", profile_id=the_profile.pk)
