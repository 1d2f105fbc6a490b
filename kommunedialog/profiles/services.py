"""State changes of the kommunebilde. Every function: keyword-only, atomic, row-locked, audited;
notifications are sent after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
from kommunedialog.core import audit, transitions
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.domains import Domain
from kommunedialog.core.uploads import DOCUMENTS, stored_file_create
from kommunedialog.oversight import evidence as oversight_evidence
from kommunedialog.profiles import pdf, signal_rules, snapshot, tasks, workflow
from kommunedialog.profiles.models import (
    Assessment,
    ConsultationResponse,
    Cycle,
    CycleDomain,
    Decision,
    FollowUpAction,
    Profile,
    PublishedProfile,
    Rating,
)
from kommunedialog.profiles.workflow import State, TransitionRefused
from kommunedialog.registry.models import Municipality, Office

# While a profile is in these states its texts and ratings may change: before consultation, and after
# it from the dialogue (Trøndelag's practice), never after publication.
EDITABLE = frozenset({State.DRAFT, State.REVIEW, State.CONSULTATION_CLOSED, State.MEETING_HELD})


def _require_office_role(actor: Any, office: Office, *roles: Role) -> None:
    if not any(access.is_office_member(actor, office, role) for role in roles):
        raise PermissionDenied("Your role in this office does not allow it")


def cycle_open(
    *,
    office: Office,
    actor: Any,
    name: str,
    year: int,
    domains: Sequence[tuple[str, str, str]] | None = None,
    consultation_weeks: int = 3,
    target_publication: dt.date | None = None,
) -> Cycle:
    """Open a cycle with its chapters (default: the national domains, reindeer husbandry only where the
    office has reindeer areas — left to the office to add) and a draft profile per municipality."""
    _require_office_role(actor, office, Role.COORDINATOR)
    chapters = (
        list(domains)
        if domains is not None
        else [(d.value, str(d.label), "") for d in Domain if d != Domain.REINDEER_HUSBANDRY]
    )
    with transaction.atomic():
        cycle = Cycle.objects.create(
            office=office,
            name=name,
            year=year,
            consultation_weeks=consultation_weeks,
            target_publication=target_publication,
        )
        cycle_domains = CycleDomain.objects.bulk_create(
            CycleDomain(cycle=cycle, domain=key, title=title, themes=themes, position=i)
            for i, (key, title, themes) in enumerate(chapters, start=1)
        )
        municipalities = list(Municipality.objects.current().filter(county__office=office))
        profiles = Profile.objects.bulk_create(Profile(cycle=cycle, municipality=m) for m in municipalities)
        Assessment.objects.bulk_create(Assessment(profile=p, cycle_domain=d) for p in profiles for d in cycle_domains)
        audit.record(
            actor=actor,
            obj=cycle,
            action="cycle_open",
            after={"name": name, "year": year, "domains": [c[1] for c in chapters], "profiles": len(profiles)},
        )
    return cycle


def assessment_update(
    *,
    assessment: Assessment,
    actor: Any,
    expected_version: int,
    rating: str,
    justification: str,
    competence: str = "",
    capacity: str = "",
    quality: str = "",
    departure_reason: str = "",
) -> Assessment:
    """Save a domain assessment. Raises EditConflict when someone saved it since ``expected_version``."""
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update()
            .select_related("profile__cycle__office", "profile__municipality", "cycle_domain")
            .get(pk=assessment.pk)
        )
        _require_office_role(actor, locked.profile.cycle.office, Role.STAFF, Role.COORDINATOR)
        if locked.profile.state not in EDITABLE:
            raise TransitionRefused(
                "assessment_update", f"a profile that is {locked.profile.get_state_display()} cannot be edited"
            )
        if rating in {Rating.GOOD, Rating.IMPROVEMENT, Rating.VULNERABLE} and not justification.strip():
            raise ValueError(_("A rating needs a justification"))
        signal = signal_for_assessment(locked)
        if signal.departs(rating) and not departure_reason.strip():
            raise SignalDeparture(signal)
        before, after = apply_versioned_changes(
            locked,
            expected_version=expected_version,
            changes={
                "rating": rating,
                "justification": justification,
                "competence": competence,
                "capacity": capacity,
                "quality": quality,
                "departure_reason": departure_reason,
            },
        )
        if locked.author_id is None:
            locked.author = actor
            locked.save(update_fields=["author"])
        audit.record(actor=actor, obj=locked, action="assessment_update", before=before, after=after)
    return locked


class SignalDeparture(ValueError):
    """The rating departs from the signal and no reason was given."""

    def __init__(self, signal: signal_rules.Signal) -> None:
        super().__init__(
            _("The rating departs from the signal (%(signal)s): say why.")
            % {"signal": signal.proposed.label if signal.proposed else ""}
        )
        self.signal = signal


def signal_for_assessment(assessment: Assessment) -> signal_rules.Signal:
    domain = assessment.cycle_domain.domain
    if not domain:
        return signal_rules.Signal(None)
    municipality = assessment.profile.municipality
    return signal_rules.signal_for(
        domain,
        oversight_evidence.for_domain(municipality, domain),
        signal_rules.figures_by_domain(municipality, domain).get(domain),
    )


def profile_update_texts(
    *, profile: Profile, actor: Any, expected_version: int, overall_picture: str, dialogue_topics: str
) -> Profile:
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("cycle__office").get(pk=profile.pk)
        _require_office_role(actor, locked.cycle.office, Role.STAFF, Role.COORDINATOR)
        if locked.state not in EDITABLE:
            raise TransitionRefused(
                "profile_update_texts", f"a profile that is {locked.get_state_display()} cannot be edited"
            )
        before, after = apply_versioned_changes(
            locked,
            expected_version=expected_version,
            changes={"overall_picture": overall_picture, "dialogue_topics": dialogue_topics},
        )
        audit.record(actor=actor, obj=locked, action="profile_update_texts", before=before, after=after)
    return locked


def _transition(profile: Profile, action: str, actor: Any | None, **fields: Any) -> Profile:
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("cycle__office", "municipality").get(pk=profile.pk)
        move = workflow.check(locked, action, actor)
        return transitions.apply(locked, target=move.target, actor=actor, action=f"profile_{action}", fields=fields)


def profile_submit_for_review(*, profile: Profile, actor: Any) -> Profile:
    return _transition(profile, "submit_for_review", actor)


def profile_return_to_draft(*, profile: Profile, actor: Any) -> Profile:
    return _transition(profile, "return_to_draft", actor)


def profile_send_on_consultation(*, profile: Profile, actor: Any, deadline: dt.date) -> Profile:
    if deadline <= timezone.localdate():
        raise ValueError(_("The consultation deadline must be in the future"))
    now = timezone.now()
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        frozen = snapshot.freeze(locked, published_at=now, data_as_of=timezone.localdate())
        profile = _transition(
            locked,
            "send_on_consultation",
            actor,
            consultation_sent_at=now,
            consultation_deadline=deadline,
            consultation_content=frozen,
        )
        # Sending on consultation is where the coordinator passes the internal quality check.
        Assessment.objects.filter(profile=profile).update(reviewer=actor)
    transaction.on_commit(lambda: tasks.mail_consultation_opened.enqueue(profile_id=profile.pk))
    return profile


def profile_close_consultation(*, profile: Profile, actor: Any) -> Profile:
    return _transition(profile, "close_consultation", actor)


def profile_reopen_consultation(*, profile: Profile, actor: Any, deadline: dt.date) -> Profile:
    if deadline <= timezone.localdate():
        raise ValueError(_("The new consultation deadline must be in the future"))
    return _transition(profile, "reopen_consultation", actor, consultation_deadline=deadline)


def profile_record_meeting(
    *, profile: Profile, actor: Any, held_on: dt.date, political: str = "", administrative: str = "", notes: str = ""
) -> Profile:
    """Record the dialogue meeting with the municipality's political and administrative leadership."""
    if held_on > timezone.localdate():
        raise ValueError(_("The meeting cannot be recorded before it is held"))
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        _require_office_role(actor, locked.cycle.office, Role.COORDINATOR)
        # The guard of "record_meeting" asks for the date, so it is set first, in the same transaction.
        locked.meeting_held_on = held_on
        locked.save(update_fields=["meeting_held_on"])
        return _transition(
            locked,
            "record_meeting",
            actor,
            meeting_political=political,
            meeting_administrative=administrative,
            meeting_notes=notes,
        )


def follow_up_add(*, profile: Profile, actor: Any, description: str, owner: str, due_on: dt.date) -> FollowUpAction:
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("cycle__office").get(pk=profile.pk)
        _require_office_role(actor, locked.cycle.office, Role.STAFF, Role.COORDINATOR)
        if locked.state not in {State.MEETING_HELD, State.PUBLISHED, State.SUPERSEDED}:
            raise TransitionRefused("follow_up_add", _("Follow-up actions are agreed in the meeting"))
        if not description.strip() or not owner.strip():
            raise ValueError(_("A follow-up action needs a description and an owner"))
        action = FollowUpAction.objects.create(profile=locked, description=description, owner=owner, due_on=due_on)
        audit.record(
            actor=actor, obj=action, action="follow_up_add", after={"owner": owner, "due_on": due_on.isoformat()}
        )
    return action


def follow_up_done(*, action: FollowUpAction, actor: Any, done_on: dt.date) -> FollowUpAction:
    with transaction.atomic():
        locked = FollowUpAction.objects.select_for_update().select_related("profile__cycle__office").get(pk=action.pk)
        _require_office_role(actor, locked.profile.cycle.office, Role.STAFF, Role.COORDINATOR)
        before = {"done_on": locked.done_on.isoformat() if locked.done_on else None}
        locked.done_on = done_on
        locked.save(update_fields=["done_on"])
        audit.record(
            actor=actor, obj=locked, action="follow_up_done", before=before, after={"done_on": done_on.isoformat()}
        )
    return locked


def profile_reopen_meeting(*, profile: Profile, actor: Any) -> Profile:
    return _transition(profile, "reopen_meeting", actor)


def profile_publish(*, profile: Profile, actor: Any, data_as_of: dt.date | None = None) -> Profile:
    """Publish: freeze the snapshot the public reads, and supersede the municipality's earlier
    published kommunebilde from this office. ``data_as_of`` (default: the meeting date) is the date
    the evidence is frozen at; statistics published later do not enter."""
    now = timezone.now()
    with transaction.atomic():
        published = _transition(profile, "publish", actor, published_at=now)
        as_of = data_as_of or published.meeting_held_on or timezone.localdate()
        content = snapshot.freeze(published, published_at=now, data_as_of=as_of)
        frozen = PublishedProfile(
            profile=published,
            municipality=published.municipality,
            office=published.cycle.office,
            published_at=now,
            data_as_of=as_of,
            content=content,
            content_hash=snapshot.content_hash(content),
        )
        frozen.rendered = snapshot.render_fragments(frozen)
        frozen.save()
        earlier = Profile.objects.filter(
            municipality=published.municipality, cycle__office=published.cycle.office, state=State.PUBLISHED
        ).exclude(pk=published.pk)
        for old in earlier:
            _transition(old, "supersede", None)
        snap = PublishedProfile.objects.select_related("municipality").get(profile=published)
        language = pdf.language_for(snap)
        transaction.on_commit(lambda: tasks.render_snapshot_pdf.enqueue(snapshot_id=snap.pk, language=language))
    return published


def consultation_respond(
    *,
    profile: Profile,
    actor: Any,
    kind: str,
    text: str,
    assessment: Assessment | None = None,
    attachment: UploadedFile[Any] | None = None,
) -> ConsultationResponse:
    """A municipality user's response, per domain or overall, before the deadline."""
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        if locked.municipality_id not in access.municipality_ids_for(actor):
            raise PermissionDenied("Only the municipality's own users respond")
        if locked.state != State.CONSULTATION:
            raise TransitionRefused("consultation_respond", _("The consultation is not open"))
        if locked.consultation_deadline and timezone.localdate() > locked.consultation_deadline:
            raise TransitionRefused("consultation_respond", _("The deadline has passed"))
        if assessment is not None and assessment.profile_id != locked.pk:
            raise ValueError(_("The assessment belongs to another kommunebilde"))
        if not text.strip():
            raise ValueError(_("A response needs a text"))
        stored = stored_file_create(actor=actor, upload=attachment, allowed=DOCUMENTS) if attachment else None
        response = ConsultationResponse.objects.create(
            profile=locked,
            assessment=assessment,
            kind=kind,
            text=text,
            author=actor,
            submitted_at=timezone.now(),
            attachment=stored,
        )
        audit.record(
            actor=actor,
            obj=response,
            action="consultation_respond",
            after={"kind": kind, "domain": assessment.cycle_domain.title if assessment else None},
        )
    return response


def consultation_decide(
    *, response: ConsultationResponse, actor: Any, decision: str, reason: str
) -> ConsultationResponse:
    """The office's decision on one response: changed or not changed, with its reason."""
    with transaction.atomic():
        locked = (
            ConsultationResponse.objects.select_for_update()
            .select_related("profile__cycle__office")
            .get(pk=response.pk)
        )
        _require_office_role(actor, locked.profile.cycle.office, Role.STAFF, Role.COORDINATOR)
        if locked.profile.state in {State.PUBLISHED, State.SUPERSEDED}:
            raise TransitionRefused("consultation_decide", _("The kommunebilde is published"))
        if decision not in Decision.values or not reason.strip():
            raise ValueError(_("A decision needs one of changed / not changed and a reason"))
        before = {"decision": locked.decision, "reason": locked.decision_reason}
        locked.decision, locked.decision_reason = decision, reason
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            obj=locked,
            action="consultation_decide",
            before=before,
            after={"decision": decision, "reason": reason},
        )
    return locked
