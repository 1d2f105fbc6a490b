from django.urls import path

from kommunedialog.profiles import overview_views, supervision_plan_views

app_name = "overview"
urlpatterns = [
    path("oversikt/", overview_views.overview_start, name="overview_start"),
    path("oversikt/<slug:office>/", overview_views.overview_show, name="overview_show"),
    path("oversikt/<slug:office>/eksport.<str:fmt>", overview_views.overview_export, name="overview_export"),
    path("tilsynsplan/<slug:office>/", supervision_plan_views.supervision_plan_show, name="supervision_plan_show"),
    path(
        "tilsynsplan/<slug:office>/legg-til/", supervision_plan_views.supervision_plan_add, name="supervision_plan_add"
    ),
    path(
        "tilsynsplan/<slug:office>/fjern/<int:planned_id>/",
        supervision_plan_views.supervision_plan_remove,
        name="supervision_plan_remove",
    ),
    path(
        "tilsynsplan/<slug:office>/plan.<str:fmt>",
        supervision_plan_views.supervision_plan_export,
        name="supervision_plan_export",
    ),
]
