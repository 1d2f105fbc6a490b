from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kommunedialog.core"
    label = "core"
    verbose_name = "Core"
