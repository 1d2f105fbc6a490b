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
from kommunedialog.core.actors import Person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.concurrency import apply_versioned_changes
from kommunedialog.core.domains import Domain
from kommunedialog.core.refusal import Refused
from kommunedialog.core.uploads import DOCUMENTS, stored_file_create
from kommunedialog.core.workflow import MUNICIPALITY, OFFICE
from kommunedialog.grants import tasks
from kommunedialog.grants.models import Application, Attachment, Call, CostLine, Message, MessageKind
from kommunedialog.grants.services._common import next_case_reference, require_party, set_publish
from kommunedialog.grants.states import ApplicationState
from kommunedialog.grants.workflow import APPLICATION
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


def _lock_editable(application: Application, actor: Person, *, states: frozenset[str] = EDITABLE) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require_party(actor, locked, MUNICIPALITY)
    if locked.state not in states:
        raise Refused(
            _("An application that is “%(state)s” cannot be changed") % {"state": locked.get_state_display()},
        )
    return locked


def application_start(*, call: Call, actor: Person, municipality: Municipality) -> Application:
    """A new draft for ``municipality`` (the lead), by one of its users, while the call is open."""
    if municipality.pk not in access.municipality_ids_for(actor):
        raise PermissionDenied("Only the municipality's own users apply for it")
    if not call.is_open:
        raise Refused(_("The call is not open for applications"))
    if municipality.office is None or municipality.office.pk != call.office_id:
        raise Refused(_("The municipality lies outside the office's area"))
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
            action=AuditAction.GRANT_APPLICATION_START,
            after={"call": call.pk, "municipality": municipality.number},
        )
    return application


# What the publish flag lets onto the public site and into the open data (see grants.public).
PUBLISHED_FIELDS = {"title", "summary"}


def application_update(
    *, application: Application, actor: Person, expected_version: int, changes: Mapping[str, Any]
) -> Application:
    """Save one step of the form. Raises EditConflict when someone saved since ``expected_version``."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Refused(f"Not fields of the application form: {sorted(unknown)}")
    if "sectors" in changes and set(changes["sectors"]) - set(Domain.values):
        raise Refused("Unknown sectors")
    try:
        validate_organisation_number(changes.get("organisation_number") or "")
    except ValidationError as invalid:
        raise Refused(invalid.messages[0]) from invalid
    with transaction.atomic():
        locked = _lock_editable(application, actor)
        before, after = apply_versioned_changes(locked, expected_version=expected_version, changes=changes)
        if locked.publish and PUBLISHED_FIELDS & set(after):
            # The office checked other words than these: the new ones wait for a new check.
            locked.publish = False
            locked.save(update_fields=["publish"])
            before, after = {**before, "publish": True}, {**after, "publish": False}
        audit.record(actor=actor, obj=locked, action=AuditAction.GRANT_APPLICATION_UPDATE, before=before, after=after)
    return locked


def application_set_partners(
    *, application: Application, actor: Person, expected_version: int, partners: Sequence[Municipality]
) -> Application:
    """The partner municipalities of a joint application; the lead is the applicant itself."""
    with transaction.atomic():
        locked = _lock_editable(application, actor)
        if any(p.pk == locked.municipality_id for p in partners):
            raise Refused(_("The lead municipality cannot also be a partner"))
        before = sorted(locked.partners.values_list("number", flat=True))
        apply_versioned_changes(locked, expected_version=expected_version, changes={})
        locked.partners.set(partners)
        after = sorted(p.number for p in partners)
        audit.record(
            actor=actor,
            obj=locked,
            action=AuditAction.GRANT_APPLICATION_PARTNERS,
            before={"partners": before},
            after={"partners": after},
        )
    return locked


def application_update_budget(
    *,
    application: Application,
    actor: Person,
    expected_version: int,
    lines: Sequence[tuple[str, int]],
    own_share: int,
    other_funding: int,
    amount_applied: int,
) -> Application:
    """Replace the cost lines and the financing. The rules are checked at submission, so a draft may
    be saved half done."""
    if any(amount < 0 for _, amount in lines) or min(own_share, other_funding, amount_applied) < 0:
        raise Refused(_("Amounts cannot be negative"))
    if any(not description.strip() for description, _ in lines):
        raise Refused(_("Every cost line needs a description"))
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
        audit.record(actor=actor, obj=locked, action=AuditAction.GRANT_APPLICATION_BUDGET, before=before, after=after)
    return locked


def application_confirm(
    *, application: Application, actor: Person, expected_version: int, chief_executive_name: str
) -> Application:
    """The chief executive's confirmation, valid for this version only: any later change asks for it again."""
    if not chief_executive_name.strip():
        raise Refused(_("Name the chief executive who confirms the application"))
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
            action=AuditAction.GRANT_APPLICATION_CONFIRM,
            after={"chief_executive": chief_executive_name, "version": locked.version},
        )
    return locked


def application_submit(*, application: Application, actor: Person) -> Application:
    """Send the application; from now on it is locked for the municipality. The first submission gives
    the case its reference in the office's case numbers."""
    with transaction.atomic():
        fields: dict[str, object] = {"submitted_at": application.submitted_at or timezone.now()}
        if not application.case_reference:
            fields["case_reference"] = next_case_reference(application.call.office)
        submitted = APPLICATION.apply(application, "submit", actor=actor, fields=fields)
    transaction.on_commit(lambda: tasks.mail_application_submitted.enqueue(application_id=submitted.pk))
    return submitted


def application_resubmit(*, application: Application, actor: Person) -> Application:
    submitted = APPLICATION.apply(application, "resubmit", actor=actor)
    transaction.on_commit(lambda: tasks.mail_application_submitted.enqueue(application_id=submitted.pk))
    return submitted


def application_withdraw(*, application: Application, actor: Person) -> Application:
    return APPLICATION.apply(application, "withdraw", actor=actor)


def _with_message(
    application: Application, action: str, actor: Person, kind: MessageKind, text: str
) -> tuple[Application, Message]:
    if not text.strip():
        raise Refused(_("Write what the message is about"))
    with transaction.atomic():
        moved = APPLICATION.apply(application, action, actor=actor)
        message = Message.objects.create(application=moved, kind=kind, text=text, author=actor)
    return moved, message


def application_return_for_correction(*, application: Application, actor: Person, reason: str) -> Application:
    moved, _message = _with_message(
        application, "return_for_correction", actor, MessageKind.RETURN_FOR_CORRECTION, reason
    )
    transaction.on_commit(lambda: tasks.mail_application_returned.enqueue(application_id=moved.pk))
    return moved


def application_start_assessment(*, application: Application, actor: Person) -> Application:
    return APPLICATION.apply(application, "start_assessment", actor=actor)


def application_request_information(*, application: Application, actor: Person, question: str) -> Application:
    moved, _message = _with_message(
        application, "request_information", actor, MessageKind.INFORMATION_REQUEST, question
    )
    transaction.on_commit(lambda: tasks.mail_information_requested.enqueue(application_id=moved.pk))
    return moved


def application_answer_information(*, application: Application, actor: Person, answer: str) -> Application:
    moved, _message = _with_message(application, "answer_information", actor, MessageKind.INFORMATION_ANSWER, answer)
    return moved


def application_set_publication(*, application: Application, actor: Person, publish: bool) -> Application:
    """The office's check that title and summary hold no personal data: only then may they go online
    (offentleglova; offentlegforskrifta § 7). Takes effect on the public site once the grant is awarded."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require_party(actor, locked, OFFICE)
        if locked.submitted_at is None:
            raise Refused(_("The application has not been submitted"))
        return set_publish(locked, actor=actor, publish=publish, action=AuditAction.GRANT_APPLICATION_PUBLICATION)


def attachment_add(*, application: Application, actor: Person, upload: UploadedFile[Any], title: str) -> Attachment:
    """Check and store a document (type by content, size capped) and attach it. Raises UploadRejected."""
    if not title.strip():
        raise Refused(_("Give the attachment a title"))
    with transaction.atomic():
        locked = _lock_editable(application, actor, states=ATTACHABLE)
        stored = stored_file_create(actor=actor, upload=upload, allowed=DOCUMENTS, field="file")
        attachment = Attachment.objects.create(application=locked, file=stored, title=title, added_by=actor)
        audit.record(
            actor=actor,
            obj=attachment,
            action=AuditAction.GRANT_ATTACHMENT_ADD,
            after={"application": locked.pk, "title": title, "file": stored.original_name},
        )
    return attachment


def attachment_remove(*, attachment: Attachment, actor: Person) -> Attachment:
    with transaction.atomic():
        _lock_editable(attachment.application, actor)
        audit.record(
            actor=actor,
            obj=attachment,
            action=AuditAction.GRANT_ATTACHMENT_REMOVE,
            before={"application": attachment.application_id, "title": attachment.title},
        )
        attachment.delete()
    return attachment


def attachment_set_publication(*, attachment: Attachment, actor: Person, publish: bool) -> Attachment:
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        require_party(actor, locked.application, OFFICE)
        return set_publish(locked, actor=actor, publish=publish, action=AuditAction.GRANT_ATTACHMENT_PUBLICATION)
