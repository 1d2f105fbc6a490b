"""Prosjektskjønn in Django admin: for administrators to inspect, never to change. Every write goes through
the services in ``grants.services``, which check the workflow and write the audit trail."""

from django.contrib import admin

from kommunedialog.core.admin import ReadOnlyAdmin
from kommunedialog.grants.models import Application, Call, Project, Report


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title_nb", "office", "year", "state", "deadline", "frame", "approved_total"]
    list_filter = ["state", "year", "office"]
    search_fields = ["title_nb", "title_nn"]
    list_select_related = ["office"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "call", "state", "amount_applied", "publish", "submitted_at"]
    list_filter = ["state", "publish", "call__year", "call__office"]
    search_fields = ["title", "municipality__name", "municipality__number", "organisation_number"]
    list_select_related = ["municipality", "call__office"]
    # The contact person is personal data that never leaves the case, not even for platform operations.
    exclude = ["contact_name", "contact_email", "contact_phone"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "amount_awarded", "period_start", "period_end"]
    list_filter = ["state", "application__call__year", "application__call__office"]
    search_fields = ["application__title", "application__municipality__name"]
    list_select_related = ["application__municipality", "application__call__office"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "state", "due_on", "submitted_at", "published_at"]
    list_filter = ["kind", "state"]
    search_fields = ["project__application__title", "project__application__municipality__name"]
    list_select_related = ["project__application__municipality"]
