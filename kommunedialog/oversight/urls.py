from django.urls import path

from kommunedialog.oversight import views

app_name = "oversight"
urlpatterns = [
    path("oversikt/<slug:office>/kommuner/<str:number>/", views.evidence_show, name="evidence_show"),
    path("oversikt/<slug:office>/tilsyn/<int:pk>/lukk/", views.supervision_close, name="supervision_close"),
    path("oversikt/<slug:office>/import/", views.import_upload, name="import_upload"),
    path(
        "oversikt/<slug:office>/import/mal-<slug:kind>.<str:fmt>",
        views.import_template_download,
        name="import_template_download",
    ),
]
