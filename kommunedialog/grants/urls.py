from django.urls import path

from kommunedialog.grants.views import applications, assessment, calls, portal, projects

app_name = "grants"
urlpatterns = [
    path("", portal.portal, name="portal"),
    path("departementet/", portal.ministry, name="ministry"),
    path("departementet/oversikt.csv", portal.ministry_export, name="ministry_export"),
    path("utlysninger/ny/", calls.call_create, name="call_create"),
    path("utlysning/<int:call_id>/", calls.call, name="call"),
    path("utlysning/<int:call_id>/rediger/", calls.call_edit, name="call_edit"),
    path("utlysning/<int:call_id>/handling/<slug:action>/", calls.call_transition, name="call_transition"),
    path("utlysning/<int:call_id>/ny-soknad/", calls.application_start, name="application_start"),
    path("soknad/<int:application_id>/", applications.application, name="application"),
    path("soknad/<int:application_id>/steg/<slug:step>/", applications.application_step, name="application_step"),
    path("soknad/<int:application_id>/budsjettsjekk/", applications.budget_check, name="budget_check"),
    path(
        "soknad/<int:application_id>/handling/<slug:action>/",
        applications.application_transition,
        name="application_transition",
    ),
    path("soknad/<int:application_id>/publisering/", applications.application_publication, name="publication"),
    path("soknad/<int:application_id>/vedlegg/", applications.attachment_upload, name="attachment_upload"),
    path("soknad/<int:application_id>/vedlegg/<int:attachment_id>/", applications.attachment, name="attachment"),
    path(
        "soknad/<int:application_id>/vedlegg/<int:attachment_id>/slett/",
        applications.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "soknad/<int:application_id>/vedlegg/<int:attachment_id>/publisering/",
        applications.attachment_publication,
        name="attachment_publication",
    ),
    path("soknad/<int:application_id>/habilitet/", assessment.review_conflict, name="review_conflict"),
    path("soknad/<int:application_id>/vurdering/", assessment.review_score, name="review_score"),
    path("soknad/<int:application_id>/vedtak/", assessment.decide, name="decide"),
    path("soknad/<int:application_id>/vedtaksbrev.pdf", assessment.decision_letter, name="decision_letter"),
    path("prosjekt/<int:project_id>/", projects.project, name="project"),
    path("prosjekt/<int:project_id>/handling/<slug:action>/", projects.project_transition, name="project_transition"),
    path("prosjekt/<int:project_id>/endring/", projects.change_request_submit, name="change_request"),
    path(
        "prosjekt/<int:project_id>/endring/<int:change_id>/",
        projects.change_request_decide,
        name="change_request_decide",
    ),
    path("rapport/<int:report_id>/", projects.report, name="report"),
    path("rapport/<int:report_id>/handling/<slug:action>/", projects.report_transition, name="report_transition"),
]
