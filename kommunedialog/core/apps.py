from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kommunedialog.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import pre_save

        from kommunedialog.core.limits import refuse_overlong
        from kommunedialog.core.schedule import check_schedule

        checks.register(check_schedule)
        pre_save.connect(refuse_overlong, dispatch_uid="kommunedialog-text-limits")
