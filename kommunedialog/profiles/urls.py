from django.urls import path

from kommunedialog.profiles import follow_up_views, national_views, slides, views, voice_views

app_name = "profiles"
urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("nasjonalt/<slug:kind>.csv", national_views.national_export, name="national_export"),
    path("runde/ny/", views.cycle_open, name="cycle_open"),
    path("runde/<int:cycle_id>/", views.cycle_show, name="cycle_show"),
    path("profil/<int:profile_id>/", views.profile_edit, name="profile_edit"),
    path("profil/<int:profile_id>/lysbilder/", slides.profile_slides, name="profile_slides"),
    path("profil/<int:profile_id>/vurdering/<int:assessment_id>/", views.assessment_save, name="assessment_save"),
    path("profil/<int:profile_id>/handling/<slug:action>/", views.profile_take_step, name="profile_take_step"),
    path("profil/<int:profile_id>/svar/<int:response_id>/", views.response_decide, name="response_decide"),
    path("profil/<int:profile_id>/oppfolging/", follow_up_views.follow_up_add, name="follow_up_add"),
    path("oppfolging/<int:action_id>/<slug:step>/", follow_up_views.follow_up_step, name="follow_up_step"),
    path("var-kommune/", follow_up_views.municipality_history, name="municipality_history"),
    path("var-kommune/ord/<int:snapshot_id>/", voice_views.voice_edit, name="voice_edit"),
    path("horing/<int:profile_id>/", views.consultation_respond, name="consultation_respond"),
    path("horing/<int:profile_id>/vedlegg/<int:response_id>/", views.attachment_download, name="attachment_download"),
]
