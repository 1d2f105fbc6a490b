from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "kommunedialog.oversight"
    label = "oversight"
    verbose_name = "Oversight evidence"
