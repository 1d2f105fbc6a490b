from django.urls import path

from kommunedialog.oversight import views

app_name = "oversight"
urlpatterns = [
    path("oversikt/", views.overview_start, name="overview_start"),
    path("oversikt/<slug:office>/", views.overview_page, name="overview"),
    path("oversikt/<slug:office>/eksport.<str:fmt>", views.overview_export, name="overview_export"),
    path("oversikt/<slug:office>/kommuner/<str:number>/", views.municipality_evidence, name="municipality"),
    path("oversikt/<slug:office>/tilsyn/<int:pk>/lukk/", views.supervision_close, name="supervision_close"),
    path("oversikt/<slug:office>/import/", views.import_upload, name="import"),
    path("oversikt/<slug:office>/import/mal-<slug:kind>.<str:fmt>", views.import_template, name="import_template"),
]
