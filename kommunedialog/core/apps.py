from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kommunedialog.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core import checks

        from kommunedialog.core.schedule import check_schedule

        checks.register(check_schedule)
