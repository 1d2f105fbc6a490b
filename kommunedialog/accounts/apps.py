from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kommunedialog.accounts"
    label = "accounts"
    verbose_name = "Accounts"
