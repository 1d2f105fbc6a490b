from django.contrib.auth import views as auth_views
from django.urls import path

from kommunedialog.accounts import oidc, views

app_name = "accounts"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        return {**super().get_context_data(**kwargs), "providers": oidc.providers()}


urlpatterns = [
    path("logg-inn/", LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("meg/", views.me_show, name="me_show"),
    path("oidc/<slug:provider>/logg-inn/", views.oidc_start, name="oidc_start"),
    path("oidc/<slug:provider>/callback/", views.oidc_finish, name="oidc_finish"),
]
