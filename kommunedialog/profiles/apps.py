from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "kommunedialog.profiles"
    label = "profiles"
    verbose_name = "Kommunebilde"

    def ready(self) -> None:
        from kommunedialog.profiles import evidence

        evidence.register()
