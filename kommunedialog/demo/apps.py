from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The offline demo: ``load_demo`` and the demonstration content of every app. It sits above every
    other app (it uses them all) and nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "kommunedialog.demo"
    label = "demo"
