from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kommunedialog.api"
    label = "api"
    verbose_name = "Open data API"
