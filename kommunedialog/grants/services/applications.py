"""The application from the municipality's side (start, fill in step by step, confirm, submit, answer,
withdraw) and the office's first moves (return for correction, start assessment, ask for more)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.core import audit
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.domains import Domain
from kommunedialog.core.uploads import DOCUMENTS, stored_file_create
from kommunedialog.grants import tasks, workflow
from kommunedialog.grants.models import Application, Attachment, Call, CostLine, Message, MessageKind
from kommunedialog.grants.services._common import require_party, set_publish, transition
from kommunedialog.grants.workflow import ApplicationState, TransitionRefused
from kommunedialog.registry.models import Municipality
from kommunedialog.registry.organisation_number import validate_organisation_number

# The municipality may change its application while it holds it: as a draft, and when it is returned.
EDITABLE = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})
# Attachments may also be added when the office asks for more information.
ATTACHABLE = EDITABLE | {ApplicationState.INFO_REQUESTED}
EDITABLE_FIELDS = frozenset(
    {
        "organisation_number",
        "contact_name",
        "contact_email",
        "contact_phone",
        "title",
        "summary",
        "theme",
        "challenges",
        "goals",
        "sectors",
        "instruments",
        "period_start",
        "period_end",
    }
)


def _lock_editable(application: Application, actor: Any, *, states: frozenset[str] = EDITABLE) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require_party(actor, locked, workflow.APPLICANT)
    if locked.state not in states:
        raise TransitionRefused(
            "update",
            _("An application that is “%(state)s” cannot be changed") % {"state": locked.get_state_display()},
        )
    return locked


def application_start(*, call: Call, actor: Any, municipality: Municipality) -> Application:
    """A new draft for ``municipality`` (the lead), by one of its users, while the call is open."""
    if municipality.pk not in access.municipality_ids_for(actor):
        raise PermissionDenied("Only the municipality's own users apply for it")
    if not call.is_open:
        raise TransitionRefused("start", _("The call is not open for applications"))
    if municipality.office is None or municipality.office.pk != call.office_id:
        raise TransitionRefused("start", _("The municipality lies outside the office's area"))
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            municipality=municipality,
            created_by=actor,
            contact_name=actor.get_full_name(),
            contact_email=actor.email,
        )
        audit.record(
            actor=actor,
            obj=application,
            action="grant_application_start",
            after={"call": call.pk, "municipality": municipality.number},
        )
    return application


# What the publish flag lets onto the public site and into the open data (see grants.public).
PUBLISHED_FIELDS = {"title", "summary"}


def application_update(
    *, application: Application, actor: Any, expected_version: int, changes: Mapping[str, Any]
) -> Application:
    """Save one step of the form. Raises EditConflict when someone saved since ``expected_version``."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not fields of the application form: {sorted(unknown)}")
    if "sectors" in changes and set(changes["sectors"]) - set(Domain.values):
        raise ValueError("Unknown sectors")
    try:
        validate_organisation_number(changes.get("organisation_number") or "")
    except ValidationError as invalid:
        raise ValueError(invalid.messages[0]) from invalid
    with transaction.atomic():
        locked = _lock_editable(application, actor)
        before, after = apply_versioned_changes(locked, expected_version=expected_version, changes=changes)
        if locked.publish and PUBLISHED_FIELDS & set(after):
            # The office checked other words than these: the new ones wait for a new check.
            locked.publish = False
            locked.save(update_fields=["publish"])
            before, after = {**before, "publish": True}, {**after, "publish": False}
        audit.record(actor=actor, obj=locked, action="grant_application_update", before=before, after=after)
    return locked


def application_set_partners(
    *, application: Application, actor: Any, expected_version: int, partners: Sequence[Municipality]
) -> Application:
    """The partner municipalities of a joint application; the lead is the applicant itself."""
    with transaction.atomic():
        locked = _lock_editable(application, actor)
        if any(p.pk == locked.municipality_id for p in partners):
            raise ValueError(_("The lead municipality cannot also be a partner"))
        before = sorted(locked.partners.values_list("number", flat=True))
        apply_versioned_changes(locked, expected_version=expected_version, changes={})
        locked.partners.set(partners)
        after = sorted(p.number for p in partners)
        audit.record(
            actor=actor,
            obj=locked,
            action="grant_application_partners",
            before={"partners": before},
            after={"partners": after},
        )
    return locked


def application_update_budget(
    *,
    application: Application,
    actor: Any,
    expected_version: int,
    lines: Sequence[tuple[str, int]],
    own_share: int,
    other_funding: int,
    amount_applied: int,
) -> Application:
    """Replace the cost lines and the financing. The rules are checked at submission, so a draft may
    be saved half done."""
    if any(amount < 0 for _, amount in lines) or min(own_share, other_funding, amount_applied) < 0:
        raise ValueError(_("Amounts cannot be negative"))
    if any(not description.strip() for description, _ in lines):
        raise ValueError(_("Every cost line needs a description"))
    with transaction.atomic():
        locked = _lock_editable(application, actor)
        lines_before = [(c.description, c.amount) for c in locked.cost_lines.all()]
        before, after = apply_versioned_changes(
            locked,
            expected_version=expected_version,
            changes={"own_share": own_share, "other_funding": other_funding, "amount_applied": amount_applied},
        )
        locked.cost_lines.all().delete()
        CostLine.objects.bulk_create(
            CostLine(application=locked, description=d, amount=a, position=i) for i, (d, a) in enumerate(lines, 1)
        )
        if lines_before != list(lines):
            before["cost_lines"], after["cost_lines"] = lines_before, list(lines)
        audit.record(actor=actor, obj=locked, action="grant_application_budget", before=before, after=after)
    return locked


def application_confirm(
    *, application: Application, actor: Any, expected_version: int, chief_executive_name: str
) -> Application:
    """The chief executive's confirmation, valid for this version only: any later change asks for it again."""
    if not chief_executive_name.strip():
        raise ValueError(_("Name the chief executive who confirms the application"))
    with transaction.atomic():
        locked = _lock_editable(application, actor)
        apply_versioned_changes(
            locked, expected_version=expected_version, changes={"chief_executive_name": chief_executive_name}
        )
        locked.confirmed_version, locked.confirmed_by, locked.confirmed_at = locked.version, actor, timezone.now()
        locked.save(update_fields=["confirmed_version", "confirmed_by", "confirmed_at"])
        audit.record(
            actor=actor,
            obj=locked,
            action="grant_application_confirm",
            after={"chief_executive": chief_executive_name, "version": locked.version},
        )
    return locked


def application_submit(*, application: Application, actor: Any) -> Application:
    """Send the application; from now on it is locked for the municipality."""
    submitted = transition(
        application,
        workflow.APPLICATION,
        "submit",
        actor,
        submitted_at=application.submitted_at or timezone.now(),
    )
    transaction.on_commit(lambda: tasks.mail_application_submitted.enqueue(application_id=submitted.pk))
    return submitted


def application_resubmit(*, application: Application, actor: Any) -> Application:
    submitted = transition(application, workflow.APPLICATION, "resubmit", actor)
    transaction.on_commit(lambda: tasks.mail_application_submitted.enqueue(application_id=submitted.pk))
    return submitted


def application_withdraw(*, application: Application, actor: Any) -> Application:
    return transition(application, workflow.APPLICATION, "withdraw", actor)


def _with_message(
    application: Application, action: str, actor: Any, kind: MessageKind, text: str
) -> tuple[Application, Message]:
    if not text.strip():
        raise ValueError(_("Write what the message is about"))
    with transaction.atomic():
        moved = transition(application, workflow.APPLICATION, action, actor)
        message = Message.objects.create(application=moved, kind=kind, text=text, author=actor)
    return moved, message


def application_return_for_correction(*, application: Application, actor: Any, reason: str) -> Application:
    moved, _message = _with_message(
        application, "return_for_correction", actor, MessageKind.RETURN_FOR_CORRECTION, reason
    )
    transaction.on_commit(lambda: tasks.mail_application_returned.enqueue(application_id=moved.pk))
    return moved


def application_start_assessment(*, application: Application, actor: Any) -> Application:
    return transition(application, workflow.APPLICATION, "start_assessment", actor)


def application_request_information(*, application: Application, actor: Any, question: str) -> Application:
    moved, _message = _with_message(
        application, "request_information", actor, MessageKind.INFORMATION_REQUEST, question
    )
    transaction.on_commit(lambda: tasks.mail_information_requested.enqueue(application_id=moved.pk))
    return moved


def application_answer_information(*, application: Application, actor: Any, answer: str) -> Application:
    moved, _message = _with_message(application, "answer_information", actor, MessageKind.INFORMATION_ANSWER, answer)
    return moved


def application_set_publication(*, application: Application, actor: Any, publish: bool) -> Application:
    """The office's check that title and summary hold no personal data: only then may they go online
    (offentleglova; offentlegforskrifta § 7). Takes effect on the public site once the grant is awarded."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_party(actor, locked, workflow.OFFICE)
        if locked.submitted_at is None:
            raise TransitionRefused("publication", _("The application has not been submitted"))
        return set_publish(locked, actor=actor, publish=publish, action="grant_application_publication")


def attachment_add(*, application: Application, actor: Any, upload: UploadedFile[Any], title: str) -> Attachment:
    """Check and store a document (type by content, size capped) and attach it. Raises UploadRejected."""
    if not title.strip():
        raise ValueError(_("Give the attachment a title"))
    with transaction.atomic():
        locked = _lock_editable(application, actor, states=ATTACHABLE)
        stored = stored_file_create(actor=actor, upload=upload, allowed=DOCUMENTS)
        attachment = Attachment.objects.create(application=locked, file=stored, title=title, added_by=actor)
        audit.record(
            actor=actor,
            obj=attachment,
            action="grant_attachment_add",
            after={"application": locked.pk, "title": title, "file": stored.original_name},
        )
    return attachment


def attachment_remove(*, attachment: Attachment, actor: Any) -> None:
    with transaction.atomic():
        _lock_editable(attachment.application, actor)
        audit.record(
            actor=actor,
            obj=attachment,
            action="grant_attachment_remove",
            before={"application": attachment.application_id, "title": attachment.title},
        )
        attachment.delete()


def attachment_set_publication(*, attachment: Attachment, actor: Any, publish: bool) -> Attachment:
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        require_party(actor, locked.application, workflow.OFFICE)
        return set_publish(locked, actor=actor, publish=publish, action="grant_attachment_publication")
