from django.urls import path

from kommunedialog.publicsite import feedback_views, views

app_name = "publicsite"
urlpatterns = [
    path("", views.front_show, name="front_show"),
    path("kommuner/<str:number>/", views.municipality_show, name="municipality_show"),
    path("kommuner/<str:number>/kommunebilde/<int:snapshot_id>/", views.kommunebilde_show, name="kommunebilde_show"),
    path(
        "kommuner/<str:number>/kommunebilde/<int:snapshot_id>.pdf",
        views.kommunebilde_snapshot_download,
        name="kommunebilde_snapshot_download",
    ),
    path("kommuner/<str:number>/kommunebilde.pdf", views.kommunebilde_download, name="kommunebilde_download"),
    path("kommuner/<str:number>/kart.svg", views.office_map_draw, name="office_map_draw"),
    path("sok/", views.search, name="search"),
    path("tilgjengelighetserklaering/", views.accessibility_show, name="accessibility_show"),
    path("apne-data/", views.open_data_show, name="open_data_show"),
    path("tilbakemelding/", feedback_views.feedback_give, name="feedback_give"),
    path("intern/tilbakemeldinger/", feedback_views.feedback_summary, name="feedback_summary"),
]
