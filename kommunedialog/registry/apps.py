from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kommunedialog.registry"
    label = "registry"
    verbose_name = "Register"
