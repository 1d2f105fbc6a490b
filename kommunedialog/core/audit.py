"""The audit trail: service functions call ``record`` once for every state change they make, naming the
business act from ``AuditAction`` (one list for the whole project, so the trail can be read and
filtered by act, and a typo is an error at import time, not a new kind of entry)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kommunedialog.core import pagecache
from kommunedialog.core.actors import Actor, System, actor_label, is_person
from kommunedialog.core.models import AuditEvent


class AuditAction(models.TextChoices):
    # Register, accounts, files
    REGISTRY_IMPORT_CREATE = "registry_import.create", _("Register import: created")
    REGISTRY_IMPORT_UPDATE = "registry_import.update", _("Register import: updated")
    OFFICE_ORGANISATION_NUMBER = "registry_office_organisation_number", _("Office organisation number set")
    USER_CREATE_LOCAL = "user_create_local", _("Local user created")
    USER_SET_PASSWORD = "user_set_password", _("Password set")
    USER_ADMIN_CREATE = "user_admin_create", _("User created in admin")
    USER_ADMIN_CHANGE = "user_admin_change", _("User changed in admin")
    OIDC_USER_CREATE = "oidc_user_create", _("User created at first login")
    ROLE_GRANT = "role_grant", _("Role granted")
    ROLE_REVOKE = "role_revoke", _("Role revoked")
    CLAIM_RULE_CREATE = "claim_rule_create", _("Login claim rule created")
    CLAIM_RULE_CHANGE = "claim_rule_change", _("Login claim rule changed")
    CLAIM_RULE_DELETE = "claim_rule_delete", _("Login claim rule deleted")
    LEAK_PROBE = "leak_probe", _("Leak probe (tests)")
    FILE_UPLOAD = "file_upload", _("File uploaded")
    TASK_REQUEUE = "task_requeue", _("Failed task queued again")
    # Statistics
    STATISTICS_IMPORT = "statistics_import", _("Statistics imported")
    STATISTICS_REFRESH_AGGREGATES = "statistics_refresh_aggregates", _("Statistics aggregates recomputed")
    PEER_SET_CREATE = "peer_set_create", _("Comparison group created")
    PEER_SET_UPDATE = "peer_set_update", _("Comparison group changed")
    PEER_SET_DELETE = "peer_set_delete", _("Comparison group deleted")
    # Oversight
    SUPERVISION_REGISTER_CREATE = "supervision_register.create", _("Supervision registered")
    SUPERVISION_REGISTER_UPDATE = "supervision_register.update", _("Supervision updated")
    SUPERVISION_CLOSE = "supervision_close", _("Supervision closed")
    COMPLAINT_STATISTIC_RECORD_CREATE = "complaint_statistic_record.create", _("Complaint statistics recorded")
    COMPLAINT_STATISTIC_RECORD_UPDATE = "complaint_statistic_record.update", _("Complaint statistics updated")
    PLAN_REGISTER_CREATE = "plan_register.create", _("Plan registered")
    PLAN_REGISTER_UPDATE = "plan_register.update", _("Plan updated")
    COOPERATION_REGISTER_CREATE = "cooperation_register.create", _("Cooperation registered")
    COOPERATION_REGISTER_UPDATE = "cooperation_register.update", _("Cooperation updated")
    SUPERVISIONS_IMPORT_CREATE = "supervisions_import.create", _("Supervision import: created")
    SUPERVISIONS_IMPORT_UPDATE = "supervisions_import.update", _("Supervision import: updated")
    COMPLAINTS_IMPORT_CREATE = "complaints_import.create", _("Complaint import: created")
    COMPLAINTS_IMPORT_UPDATE = "complaints_import.update", _("Complaint import: updated")
    PLANS_IMPORT_CREATE = "plans_import.create", _("Plan import: created")
    PLANS_IMPORT_UPDATE = "plans_import.update", _("Plan import: updated")
    COOPERATIONS_IMPORT_CREATE = "cooperations_import.create", _("Cooperation import: created")
    COOPERATIONS_IMPORT_UPDATE = "cooperations_import.update", _("Cooperation import: updated")
    ROBEK_IMPORT_CREATE = "robek_import.create", _("ROBEK import: entered")
    ROBEK_IMPORT_UPDATE = "robek_import.update", _("ROBEK import: updated")
    ROBEK_IMPORT_REMOVE = "robek_import.remove", _("ROBEK import: left the register")
    # Kommunebilde
    CYCLE_OPEN = "cycle_open", _("Cycle opened")
    ASSESSMENT_UPDATE = "assessment_update", _("Assessment saved")
    PROFILE_UPDATE_TEXTS = "profile_update_texts", _("Overall picture saved")
    PROFILE_SUBMIT_FOR_REVIEW = "profile_submit_for_review", _("Sent to quality check")
    PROFILE_RETURN_TO_DRAFT = "profile_return_to_draft", _("Returned to draft")
    PROFILE_SEND_ON_CONSULTATION = "profile_send_on_consultation", _("Sent on consultation")
    PROFILE_CLOSE_CONSULTATION = "profile_close_consultation", _("Consultation closed")
    PROFILE_REOPEN_CONSULTATION = "profile_reopen_consultation", _("Consultation reopened")
    PROFILE_RECORD_MEETING = "profile_record_meeting", _("Meeting recorded")
    PROFILE_REOPEN_MEETING = "profile_reopen_meeting", _("Meeting record reopened")
    PROFILE_PUBLISH = "profile_publish", _("Kommunebilde published")
    PROFILE_SUPERSEDE = "profile_supersede", _("Kommunebilde superseded")
    CONSULTATION_RESPOND = "consultation_respond", _("Consultation response submitted")
    CONSULTATION_DECIDE = "consultation_decide", _("Consultation response decided")
    FOLLOW_UP_ADD = "follow_up_add", _("Follow-up action agreed")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up action done")
    FOLLOW_UP_START = "follow_up_start", _("Follow-up action started")
    FOLLOW_UP_COMPLETE = "follow_up_complete", _("Follow-up action marked done")
    FOLLOW_UP_DROP = "follow_up_drop", _("Follow-up action dropped")
    FOLLOW_UP_REOPEN = "follow_up_reopen", _("Follow-up action reopened")
    # Prosjektskjønn
    GRANT_CALL_CREATE = "grant_call_create", _("Call created")
    GRANT_CALL_UPDATE = "grant_call_update", _("Call changed")
    GRANT_CALL_PUBLISH = "grant_call_publish", _("Call published")
    GRANT_CALL_EXTEND_DEADLINE = "grant_call_extend_deadline", _("Call deadline moved")
    GRANT_CALL_CLOSE = "grant_call_close", _("Call closed")
    GRANT_CALL_ALLOCATE = "grant_call_allocate", _("Call allocated")
    GRANT_CALL_ARCHIVE = "grant_call_archive", _("Call archived")
    GRANT_APPLICATION_START = "grant_application_start", _("Application started")
    GRANT_APPLICATION_UPDATE = "grant_application_update", _("Application saved")
    GRANT_APPLICATION_PARTNERS = "grant_application_partners", _("Application partners set")
    GRANT_APPLICATION_BUDGET = "grant_application_budget", _("Application budget saved")
    GRANT_APPLICATION_CONFIRM = "grant_application_confirm", _("Chief executive's confirmation")
    GRANT_APPLICATION_PUBLICATION = "grant_application_publication", _("Application publication flag set")
    GRANT_APPLICATION_SUBMIT = "grant_application_submit", _("Application submitted")
    GRANT_APPLICATION_WITHDRAW = "grant_application_withdraw", _("Application withdrawn")
    GRANT_APPLICATION_RETURN_FOR_CORRECTION = "grant_application_return_for_correction", _("Returned for correction")
    GRANT_APPLICATION_RESUBMIT = "grant_application_resubmit", _("Application resubmitted")
    GRANT_APPLICATION_START_ASSESSMENT = "grant_application_start_assessment", _("Assessment started")
    GRANT_APPLICATION_REQUEST_INFORMATION = "grant_application_request_information", _("More information requested")
    GRANT_APPLICATION_ANSWER_INFORMATION = "grant_application_answer_information", _("Information given")
    GRANT_APPLICATION_RECOMMEND = "grant_application_recommend", _("Application recommended")
    GRANT_APPLICATION_REOPEN_ASSESSMENT = "grant_application_reopen_assessment", _("Assessment reopened")
    GRANT_APPLICATION_APPROVE = "grant_application_approve", _("Application approved")
    GRANT_APPLICATION_REJECT = "grant_application_reject", _("Application rejected")
    GRANT_ATTACHMENT_ADD = "grant_attachment_add", _("Attachment added")
    GRANT_ATTACHMENT_REMOVE = "grant_attachment_remove", _("Attachment removed")
    GRANT_ATTACHMENT_PUBLICATION = "grant_attachment_publication", _("Attachment publication flag set")
    GRANT_REVIEW_DECLARE = "grant_review_declare", _("Conflict of interest declared")
    GRANT_REVIEW_SCORE = "grant_review_score", _("Application scored")
    GRANT_DECISION_APPROVED = "grant_decision_approved", _("Decision: approved")
    GRANT_DECISION_REJECTED = "grant_decision_rejected", _("Decision: rejected")
    GRANT_PROJECT_CREATE = "grant_project_create", _("Project created")
    GRANT_PROJECT_CHANGE = "grant_project_change", _("Project changed")
    GRANT_PROJECT_DELIVER_FINAL_REPORT = "grant_project_deliver_final_report", _("Final report delivered")
    GRANT_PROJECT_REOPEN = "grant_project_reopen", _("Project active again")
    GRANT_PROJECT_CLOSE = "grant_project_close", _("Project closed")
    GRANT_REPORT_UPDATE = "grant_report_update", _("Report saved")
    GRANT_REPORT_SUBMIT = "grant_report_submit", _("Report submitted")
    GRANT_REPORT_RETURN = "grant_report_return", _("Report returned")
    GRANT_REPORT_APPROVE = "grant_report_approve", _("Report accepted")
    GRANT_REPORT_PUBLISH = "grant_report_publish", _("Report published")
    GRANT_REPORT_REMINDER = "grant_report_reminder", _("Report reminder sent")
    GRANT_CHANGE_REQUEST_SUBMIT = "grant_change_request_submit", _("Change requested")
    GRANT_CHANGE_REQUEST_APPROVE = "grant_change_request_approve", _("Change approved")
    GRANT_CHANGE_REQUEST_REJECT = "grant_change_request_reject", _("Change rejected")
    GRANT_HISTORY_IMPORT = "grant_history_import", _("Earlier grant imported")
    # Supervision planning and the municipality's voice (issue 16)
    PLANNED_SUPERVISION_ADD = "planned_supervision_add", _("Supervision added to the plan")
    PLANNED_SUPERVISION_REMOVE = "planned_supervision_remove", _("Supervision removed from the plan")
    MUNICIPALITY_VOICE_SAVE = "municipality_voice_save", _("Municipality's own words saved")


# Changes that never reach a public page: recording them leaves the public pages' content version alone.
# Every other audited change replaces it (core.pagecache), so a change missing here costs a cache miss,
# never a stale page.
PRIVATE_ACTIONS = frozenset(
    {
        AuditAction.USER_CREATE_LOCAL,
        AuditAction.USER_SET_PASSWORD,
        AuditAction.USER_ADMIN_CREATE,
        AuditAction.USER_ADMIN_CHANGE,
        AuditAction.OIDC_USER_CREATE,
        AuditAction.ROLE_GRANT,
        AuditAction.ROLE_REVOKE,
        AuditAction.CLAIM_RULE_CREATE,
        AuditAction.CLAIM_RULE_CHANGE,
        AuditAction.CLAIM_RULE_DELETE,
        AuditAction.LEAK_PROBE,
        AuditAction.FILE_UPLOAD,
        AuditAction.TASK_REQUEUE,
        AuditAction.PEER_SET_CREATE,
        AuditAction.PEER_SET_UPDATE,
        AuditAction.PEER_SET_DELETE,
        AuditAction.ASSESSMENT_UPDATE,
        AuditAction.PROFILE_UPDATE_TEXTS,
        AuditAction.CONSULTATION_RESPOND,
        AuditAction.CONSULTATION_DECIDE,
        AuditAction.FOLLOW_UP_ADD,
        AuditAction.FOLLOW_UP_DONE,
        AuditAction.GRANT_APPLICATION_START,
        AuditAction.GRANT_APPLICATION_UPDATE,
        AuditAction.GRANT_APPLICATION_PARTNERS,
        AuditAction.GRANT_APPLICATION_BUDGET,
        AuditAction.GRANT_APPLICATION_CONFIRM,
        AuditAction.GRANT_ATTACHMENT_ADD,
        AuditAction.GRANT_REVIEW_DECLARE,
        AuditAction.GRANT_REVIEW_SCORE,
        AuditAction.GRANT_REPORT_UPDATE,
        AuditAction.GRANT_REPORT_REMINDER,
        AuditAction.PLANNED_SUPERVISION_ADD,
        AuditAction.PLANNED_SUPERVISION_REMOVE,
    }
)


def record(
    *,
    actor: Actor,
    obj: models.Model,
    action: AuditAction,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event: ``actor`` (a person, or ``SYSTEM`` for a task or an operator's import)
    did ``action`` to ``obj``."""
    if not (isinstance(actor, System) or is_person(actor)):
        raise TypeError("Only a signed-in person or the system changes anything")
    if AuditAction(action) not in PRIVATE_ACTIONS:
        pagecache.bump()
    return AuditEvent.objects.create(
        actor=actor if is_person(actor) else None,
        actor_label=actor_label(actor),
        action=AuditAction(action),
        object_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=dict(before or {}),
        after=dict(after or {}),
    )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Reduce two full snapshots to the fields that differ, for a compact before/after summary."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
