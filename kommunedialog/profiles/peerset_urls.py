from django.urls import path

from kommunedialog.profiles import peerset_views

app_name = "peersets"
urlpatterns = [
    path("", peerset_views.peer_set_list, name="peer_set_list"),
    path("ny/", peerset_views.peer_set_create, name="peer_set_create"),
    path("<int:peer_set_id>/", peerset_views.peer_set_show, name="peer_set_show"),
    path("<int:peer_set_id>/endre/", peerset_views.peer_set_edit, name="peer_set_edit"),
    path("<int:peer_set_id>/slett/", peerset_views.peer_set_delete, name="peer_set_delete"),
]
