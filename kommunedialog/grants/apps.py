from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "kommunedialog.grants"
    label = "grants"
    verbose_name = "Prosjektskjønn"
