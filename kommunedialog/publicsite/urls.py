from django.urls import path

from kommunedialog.publicsite import views

app_name = "publicsite"
urlpatterns = [
    path("", views.front, name="front"),
    path("kommuner/<str:number>/", views.municipality, name="municipality"),
    path("kommuner/<str:number>/kommunebilde/<int:snapshot_id>/", views.kommunebilde, name="kommunebilde"),
    path("kommuner/<str:number>/kommunebilde.pdf", views.kommunebilde_pdf, name="kommunebilde_pdf"),
    path("kommuner/<str:number>/kart.svg", views.office_map_svg, name="office_map"),
    path("sok/", views.search, name="search"),
    path("tilgjengelighetserklaering/", views.accessibility, name="accessibility"),
    path("apne-data/", views.open_data, name="open_data"),
]
