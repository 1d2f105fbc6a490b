from django.urls import path

from kommunedialog.grants.views import public

app_name = "grants_public"
urlpatterns = [
    path("", public.grants_list, name="grants_list"),
    path("utlysninger/", public.calls_list, name="calls_list"),
    path("laering/", public.lessons_list, name="lessons_list"),
    path("utlysning/<int:call_id>/", public.call_show, name="call_show"),
    path("prosjekt/<int:project_id>/", public.project_show, name="project_show"),
    path(
        "prosjekt/<int:project_id>/vedlegg/<int:attachment_id>/", public.attachment_download, name="attachment_download"
    ),
]
