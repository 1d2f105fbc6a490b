from django.urls import path

from kommunedialog.grants.views import applications, assessment, calls, portal, projects

app_name = "grants"
urlpatterns = [
    path("", portal.portal_show, name="portal_show"),
    path("departementet/", portal.ministry_show, name="ministry_show"),
    path("departementet/oversikt.csv", portal.ministry_export, name="ministry_export"),
    path("utlysninger/ny/", calls.call_create, name="call_create"),
    path("utlysning/<int:call_id>/", calls.call_show, name="call_show"),
    path("utlysning/<int:call_id>/rediger/", calls.call_edit, name="call_edit"),
    path("utlysning/<int:call_id>/handling/<slug:action>/", calls.call_take_step, name="call_take_step"),
    path("utlysning/<int:call_id>/arkiv.zip", calls.call_archive_export, name="call_archive_export"),
    path("utlysning/<int:call_id>/ny-soknad/", calls.application_start, name="application_start"),
    path("soknad/<int:application_id>/", applications.application_show, name="application_show"),
    path(
        "soknad/<int:application_id>/steg/<slug:step>/",
        applications.application_edit_step,
        name="application_edit_step",
    ),
    path("soknad/<int:application_id>/budsjettsjekk/", applications.budget_check, name="budget_check"),
    path(
        "soknad/<int:application_id>/handling/<slug:action>/",
        applications.application_take_step,
        name="application_take_step",
    ),
    path(
        "soknad/<int:application_id>/publisering/",
        applications.application_set_publication,
        name="application_set_publication",
    ),
    path("soknad/<int:application_id>/vedlegg/", applications.attachment_upload, name="attachment_upload"),
    path(
        "soknad/<int:application_id>/vedlegg/<int:attachment_id>/",
        applications.attachment_download,
        name="attachment_download",
    ),
    path(
        "soknad/<int:application_id>/vedlegg/<int:attachment_id>/slett/",
        applications.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "soknad/<int:application_id>/vedlegg/<int:attachment_id>/publisering/",
        applications.attachment_set_publication,
        name="attachment_set_publication",
    ),
    path("soknad/<int:application_id>/habilitet/", assessment.review_declare, name="review_declare"),
    path("soknad/<int:application_id>/vurdering/", assessment.review_score, name="review_score"),
    path("soknad/<int:application_id>/vedtak/", assessment.application_decide, name="application_decide"),
    path(
        "soknad/<int:application_id>/vedtaksbrev.pdf",
        assessment.decision_letter_download,
        name="decision_letter_download",
    ),
    path("prosjekt/<int:project_id>/", projects.project_show, name="project_show"),
    path("prosjekt/<int:project_id>/handling/<slug:action>/", projects.project_take_step, name="project_take_step"),
    path("prosjekt/<int:project_id>/endring/", projects.change_request_submit, name="change_request_submit"),
    path(
        "prosjekt/<int:project_id>/endring/<int:change_id>/",
        projects.change_request_decide,
        name="change_request_decide",
    ),
    path("rapport/<int:report_id>/", projects.report_edit, name="report_edit"),
    path("rapport/<int:report_id>/handling/<slug:action>/", projects.report_take_step, name="report_take_step"),
]
