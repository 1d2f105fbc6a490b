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
from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM, Actor, Person, is_person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.domains import Domain
from kommunedialog.core.refusal import Refused
from kommunedialog.core.uploads import DOCUMENTS, stored_file_create
from kommunedialog.oversight import evidence as oversight_evidence
from kommunedialog.profiles import pdf, signal_rules, snapshot, tasks
from kommunedialog.profiles.follow_up import AgreedAction, follow_up_add
from kommunedialog.profiles.models import (
    Assessment,
    ConsultationResponse,
    Cycle,
    CycleDomain,
    Decision,
    Profile,
    PublishedProfile,
    Rating,
)
from kommunedialog.profiles.states import EDITABLE, State
from kommunedialog.profiles.workflow import KOMMUNEBILDE
from kommunedialog.registry.models import Municipality, Office


def _require_office_role(actor: Actor, office: Office, *roles: Role) -> None:
    if not any(access.is_office_member(actor, office, role) for role in roles):
        raise PermissionDenied("Your role in this office does not allow it")


def cycle_open(
    *,
    office: Office,
    actor: Actor,
    name: str,
    year: int,
    domains: Sequence[tuple[str, str, str]] | None = None,
    consultation_weeks: int = 3,
    target_publication: dt.date | None = None,
    municipalities: Sequence[Municipality] = (),
) -> Cycle:
    """Open a cycle with its chapters (default: the national domains, reindeer husbandry only where the
    office has reindeer areas — left to the office to add) and a draft profile per municipality: every
    municipality of the office, or (a visit round) the ``municipalities`` chosen."""
    _require_office_role(actor, office, Role.COORDINATOR)
    chapters = (
        list(domains)
        if domains is not None
        else [(d.value, str(d.label), "") for d in Domain if d != Domain.REINDEER_HUSBANDRY]
    )
    if Cycle.objects.filter(office=office, name=name).exists():
        raise Refused(_("The office already has a cycle with this name."), field="name")
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
        in_office = Municipality.objects.current().filter(county__office=office)
        if municipalities:
            chosen = list(in_office.filter(pk__in=[m.pk for m in municipalities]))
            if len(chosen) != len({m.pk for m in municipalities}):
                raise Refused(_("Choose municipalities of the office only."), field="municipalities")
        else:
            chosen = list(in_office)
        profiles = Profile.objects.bulk_create(Profile(cycle=cycle, municipality=m) for m in chosen)
        Assessment.objects.bulk_create(Assessment(profile=p, cycle_domain=d) for p in profiles for d in cycle_domains)
        audit.record(
            actor=actor,
            obj=cycle,
            action=AuditAction.CYCLE_OPEN,
            after={
                "name": name,
                "year": year,
                "domains": [c[1] for c in chapters],
                "profiles": len(profiles),
                "visit_round": [m.number for m in chosen] if municipalities else None,
            },
        )
    return cycle


def assessment_update(
    *,
    assessment: Assessment,
    actor: Person,
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
            raise Refused(
                _("A kommunebilde that is “%(state)s” cannot be edited") % {"state": locked.profile.get_state_display()}
            )
        if rating in {Rating.GOOD, Rating.IMPROVEMENT, Rating.VULNERABLE} and not justification.strip():
            raise Refused(_("A rating needs a justification"), field="justification")
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
        audit.record(actor=actor, obj=locked, action=AuditAction.ASSESSMENT_UPDATE, before=before, after=after)
    return locked


class SignalDeparture(Refused):
    """The rating departs from the signal and no reason was given."""

    def __init__(self, signal: signal_rules.Signal) -> None:
        super().__init__(
            _("The rating departs from the signal (%(signal)s): say why.")
            % {"signal": signal.proposed.label if signal.proposed else ""},
            field="departure_reason",
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
    *, profile: Profile, actor: Actor, expected_version: int, overall_picture: str, dialogue_topics: str
) -> Profile:
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("cycle__office").get(pk=profile.pk)
        _require_office_role(actor, locked.cycle.office, Role.STAFF, Role.COORDINATOR)
        if locked.state not in EDITABLE:
            raise Refused(
                _("A kommunebilde that is “%(state)s” cannot be edited") % {"state": locked.get_state_display()}
            )
        before, after = apply_versioned_changes(
            locked,
            expected_version=expected_version,
            changes={"overall_picture": overall_picture, "dialogue_topics": dialogue_topics},
        )
        audit.record(actor=actor, obj=locked, action=AuditAction.PROFILE_UPDATE_TEXTS, before=before, after=after)
    return locked


def profile_submit_for_review(*, profile: Profile, actor: Actor) -> Profile:
    return KOMMUNEBILDE.apply(profile, "submit_for_review", actor=actor)


def profile_return_to_draft(*, profile: Profile, actor: Actor) -> Profile:
    return KOMMUNEBILDE.apply(profile, "return_to_draft", actor=actor)


def profile_send_on_consultation(*, profile: Profile, actor: Actor, deadline: dt.date) -> Profile:
    """The coordinator passes the internal quality check and sends the kommunebilde to the municipality:
    its texts and ratings are frozen as sent, so staff can see what changes afterwards."""
    now = timezone.now()
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        sent = KOMMUNEBILDE.apply(
            locked,
            "send_on_consultation",
            actor=actor,
            data={"deadline": deadline},
            fields={
                "consultation_sent_at": now,
                "consultation_deadline": deadline,
                "consultation_content": snapshot.freeze(locked, published_at=now, data_as_of=timezone.localdate()),
            },
            on_commit=[lambda: tasks.mail_consultation_opened.enqueue(profile_id=locked.pk)],
        )
        Assessment.objects.filter(profile=sent).update(reviewer=actor if is_person(actor) else None)
    return sent


def profile_close_consultation(*, profile: Profile, actor: Actor) -> Profile:
    return KOMMUNEBILDE.apply(profile, "close_consultation", actor=actor)


def consultations_close_due() -> list[Profile]:
    """Close every consultation whose deadline has passed (the scheduled task). Safe to run any number
    of times: a profile closed in the meantime is left alone."""
    closed = []
    for profile in Profile.objects.filter(state=State.CONSULTATION, consultation_deadline__lt=timezone.localdate()):
        try:
            closed.append(KOMMUNEBILDE.apply(profile, "close_consultation", actor=SYSTEM))
        except Refused:
            continue
    return closed


def profile_reopen_consultation(*, profile: Profile, actor: Actor, deadline: dt.date) -> Profile:
    return KOMMUNEBILDE.apply(
        profile,
        "reopen_consultation",
        actor=actor,
        data={"deadline": deadline},
        fields={"consultation_deadline": deadline},
    )


def profile_record_meeting(
    *,
    profile: Profile,
    actor: Actor,
    held_on: dt.date,
    political: str = "",
    administrative: str = "",
    notes: str = "",
    actions: Sequence[AgreedAction] = (),
) -> Profile:
    """Record the dialogue meeting with the municipality's political and administrative leadership, and
    the follow-up actions agreed in it, in one step."""
    with transaction.atomic():
        held = KOMMUNEBILDE.apply(
            profile,
            "record_meeting",
            actor=actor,
            data={"held_on": held_on},
            fields={
                "meeting_held_on": held_on,
                "meeting_political": political,
                "meeting_administrative": administrative,
                "meeting_notes": notes,
            },
        )
        for agreed in actions:
            follow_up_add(profile=held, actor=actor, **agreed)
    return held


def profile_reopen_meeting(*, profile: Profile, actor: Actor) -> Profile:
    return KOMMUNEBILDE.apply(profile, "reopen_meeting", actor=actor)


def profile_publish(*, profile: Profile, actor: Actor, data_as_of: dt.date | None = None) -> Profile:
    """Publish: freeze the snapshot the public reads, and supersede the municipality's earlier
    published kommunebilde from this office. ``data_as_of`` (default: the meeting date) is the date
    the evidence is frozen at; statistics published later do not enter."""
    now = timezone.now()
    with transaction.atomic():
        published = KOMMUNEBILDE.apply(profile, "publish", actor=actor, fields={"published_at": now})
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
            KOMMUNEBILDE.apply(old, "supersede", actor=SYSTEM)
        snap = PublishedProfile.objects.select_related("municipality").get(profile=published)
        language = pdf.language_for(snap)
        transaction.on_commit(lambda: tasks.render_snapshot_pdf.enqueue(snapshot_id=snap.pk, language=language))
    return published


def consultation_respond(
    *,
    profile: Profile,
    actor: Person,
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
            raise Refused(_("The consultation is not open"))
        if locked.consultation_deadline and timezone.localdate() > locked.consultation_deadline:
            raise Refused(_("The deadline has passed"))
        if assessment is not None and assessment.profile_id != locked.pk:
            raise Refused(_("The assessment belongs to another kommunebilde"), field="assessment")
        if not text.strip():
            raise Refused(_("A response needs a text"), field="text")
        stored = (
            stored_file_create(actor=actor, upload=attachment, allowed=DOCUMENTS, field="attachment")
            if attachment
            else None
        )
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
            action=AuditAction.CONSULTATION_RESPOND,
            after={"kind": kind, "domain": assessment.cycle_domain.title if assessment else None},
        )
    return response


def consultation_decide(
    *, response: ConsultationResponse, actor: Person, decision: str, reason: str
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
            raise Refused(_("The kommunebilde is published"))
        if decision not in Decision.values:
            raise Refused(_("Choose changed or not changed"), field="decision")
        if not reason.strip():
            raise Refused(_("Give the reason for the decision"), field="reason")
        before = {"decision": locked.decision, "reason": locked.decision_reason}
        locked.decision, locked.decision_reason = decision, reason
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            obj=locked,
            action=AuditAction.CONSULTATION_DECIDE,
            before=before,
            after={"decision": decision, "reason": reason},
        )
    return locked
