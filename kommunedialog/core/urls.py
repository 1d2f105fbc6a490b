from django.urls import path

from kommunedialog.core import health

app_name = "core"

urlpatterns = [
    path("", health.health_show, name="health_show"),
    path("web/", health.web_health_show, name="web_health_show"),
]
