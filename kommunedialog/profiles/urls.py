from django.urls import path

from kommunedialog.profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.cycles, name="cycles"),
    path("runde/<int:cycle_id>/", views.cycle, name="cycle"),
    path("profil/<int:profile_id>/", views.profile, name="profile"),
    path("profil/<int:profile_id>/vurdering/<int:assessment_id>/", views.assessment, name="assessment"),
    path("profil/<int:profile_id>/handling/<slug:action>/", views.transition, name="transition"),
    path("profil/<int:profile_id>/svar/<int:response_id>/", views.decide, name="decide"),
    path("profil/<int:profile_id>/oppfolging/", views.follow_up, name="follow_up"),
    path("horing/<int:profile_id>/", views.consultation, name="consultation"),
    path("horing/<int:profile_id>/vedlegg/<int:response_id>/", views.attachment, name="attachment"),
]
