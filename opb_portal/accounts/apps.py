from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opb_portal.accounts"
    label = "accounts"
    verbose_name = "Organisations, people and roles"
