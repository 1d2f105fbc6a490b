from django.urls import path

from kommunedialog.profiles import overview_views

app_name = "overview"
urlpatterns = [
    path("oversikt/", overview_views.overview_start, name="overview_start"),
    path("oversikt/<slug:office>/", overview_views.overview_show, name="overview_show"),
    path("oversikt/<slug:office>/eksport.<str:fmt>", overview_views.overview_export, name="overview_export"),
]
