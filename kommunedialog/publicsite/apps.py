from django.apps import AppConfig


class PublicsiteConfig(AppConfig):
    name = "kommunedialog.publicsite"
    label = "publicsite"
    verbose_name = "Public site"
