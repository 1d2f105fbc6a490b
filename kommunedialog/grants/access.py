"""Permission-checked getters for Prosjektskjønn. Anything outside the user's scope is 404, the same as
anything that does not exist.

Who sees what:
- the lead municipality's users: their applications in every state, to edit while they hold them;
- partner municipalities' users: the joint application and project, read only;
- staff and coordinators of the call's office: applications once submitted (a draft is the
  municipality's own working copy), and everything after;
- the ministry: the national overview (totals and statuses), no case documents.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kommunedialog.accounts import access
from kommunedialog.accounts.models import Role
from kommunedialog.grants.models import Application, Attachment, Call, ChangeRequest, Project, Report
from kommunedialog.grants.states import CallState


def _or_404(obj: Any, what: str) -> Any:
    if obj is None:
        raise Http404(f"No such {what}")
    return obj


def calls_for_office(user: Any, *roles: Role) -> QuerySet[Call]:
    return Call.objects.filter(office__in=access.offices_for(user, *roles)).select_related("office")


def call_for_office(user: Any, call_id: int, *roles: Role) -> Call:
    return _or_404(calls_for_office(user, *roles).filter(pk=call_id).first(), "call")  # type: ignore[no-any-return]


def open_calls_for_applicant(user: Any) -> QuerySet[Call]:
    """Published calls, before their deadline, of the offices that cover the user's municipalities."""
    return Call.objects.filter(
        state=CallState.PUBLISHED,
        deadline__gte=timezone.localdate(),
        office__counties__municipalities__in=access.municipality_ids_for(user),
    ).distinct()


def call_for_applicant(user: Any, call_id: int) -> Call:
    return _or_404(open_calls_for_applicant(user).filter(pk=call_id).first(), "call")  # type: ignore[no-any-return]


def _viewer_q(user: Any, prefix: str = "") -> Q:
    own = access.municipality_ids_for(user)
    return (
        Q(**{f"{prefix}municipality__in": own})
        | Q(**{f"{prefix}partners__in": own})
        | Q(**{f"{prefix}call__office__in": access.offices_for(user), f"{prefix}submitted_at__isnull": False})
    )


def applications_for_municipality_user(user: Any) -> QuerySet[Application]:
    own = access.municipality_ids_for(user)
    return (
        Application.objects.filter(Q(municipality__in=own) | Q(partners__in=own))
        .distinct()
        .select_related("call__office", "municipality")
    )


def applications_for_office(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(
        call__office__in=access.offices_for(user), submitted_at__isnull=False
    ).select_related("call__office", "municipality")


def application_for_viewer(user: Any, application_id: int) -> Application:
    found = (
        Application.objects.filter(_viewer_q(user), pk=application_id)
        .select_related("call__office", "municipality")
        .first()
    )
    return _or_404(found, "application")  # type: ignore[no-any-return]


def application_for_applicant(user: Any, application_id: int) -> Application:
    """For the lead municipality's users only: the ones who may change it."""
    found = (
        Application.objects.filter(pk=application_id, municipality__in=access.municipality_ids_for(user))
        .select_related("call__office", "municipality")
        .first()
    )
    return _or_404(found, "application")  # type: ignore[no-any-return]


def application_for_office(user: Any, application_id: int, *roles: Role) -> Application:
    found = (
        applications_for_office(user)
        .filter(pk=application_id, call__office__in=access.offices_for(user, *roles))
        .first()
    )
    return _or_404(found, "application")  # type: ignore[no-any-return]


def attachment_of(application: Application, attachment_id: int) -> Attachment:
    """An attachment of an application the caller has already got through one of the getters above."""
    found = application.attachments.select_related("file").filter(pk=attachment_id).first()
    return _or_404(found, "attachment")  # type: ignore[no-any-return]


def project_for_viewer(user: Any, project_id: int) -> Project:
    found = (
        Project.objects.filter(_viewer_q(user, "application__"), pk=project_id)
        .select_related("application__call__office", "application__municipality")
        .first()
    )
    return _or_404(found, "project")  # type: ignore[no-any-return]


def project_for_applicant(user: Any, project_id: int) -> Project:
    """A project of the user's own municipality as lead (a partner only reads it): 404 for anyone else."""
    found = (
        Project.objects.filter(pk=project_id, application__municipality__in=access.municipality_ids_for(user))
        .select_related("application__call__office", "application__municipality")
        .first()
    )
    return _or_404(found, "project")  # type: ignore[no-any-return]


def projects_for_office(user: Any) -> QuerySet[Project]:
    return Project.objects.filter(application__call__office__in=access.offices_for(user)).select_related(
        "application__call__office", "application__municipality"
    )


def project_for_office(user: Any, project_id: int) -> Project:
    found = (
        Project.objects.filter(pk=project_id, application__call__office__in=access.offices_for(user))
        .select_related("application__call__office", "application__municipality")
        .first()
    )
    return _or_404(found, "project")  # type: ignore[no-any-return]


def projects_for_municipality_user(user: Any) -> QuerySet[Project]:
    own = access.municipality_ids_for(user)
    return (
        Project.objects.filter(Q(application__municipality__in=own) | Q(application__partners__in=own))
        .distinct()
        .select_related("application__call__office", "application__municipality")
    )


def change_request_for_office(user: Any, project: Project, change_id: int) -> ChangeRequest:
    found = project.change_requests.filter(
        pk=change_id, project__application__call__office__in=access.offices_for(user)
    ).first()
    return _or_404(found, "change request")  # type: ignore[no-any-return]


def report_for_viewer(user: Any, report_id: int) -> Report:
    found = (
        Report.objects.filter(_viewer_q(user, "project__application__"), pk=report_id)
        .select_related("project__application__call__office", "project__application__municipality")
        .first()
    )
    return _or_404(found, "report")  # type: ignore[no-any-return]


def report_for_applicant(user: Any, report_id: int) -> Report:
    found = (
        Report.objects.filter(pk=report_id, project__application__municipality__in=access.municipality_ids_for(user))
        .select_related("project__application__call__office", "project__application__municipality")
        .first()
    )
    return _or_404(found, "report")  # type: ignore[no-any-return]


def require_ministry(user: Any) -> None:
    if not access.has_role(user, Role.MINISTRY):
        raise Http404("No such page")
