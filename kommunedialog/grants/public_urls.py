from django.urls import path

from kommunedialog.grants.views import public

app_name = "grants_public"
urlpatterns = [
    path("", public.grants_list, name="list"),
    path("utlysninger/", public.calls_list, name="calls"),
    path("utlysning/<int:call_id>/", public.call, name="call"),
    path("prosjekt/<int:project_id>/", public.project, name="project"),
    path("prosjekt/<int:project_id>/vedlegg/<int:attachment_id>/", public.attachment, name="attachment"),
]
