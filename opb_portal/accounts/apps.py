from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opb_portal.accounts"
    label = "accounts"
    verbose_name = "Organisations, people and roles"

    def ready(self):
        # Django announces a password sign-in by this signal only: the second step starts there.
        from django.contrib.auth.signals import user_logged_in

        from .two_factor import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="opb-two-factor-pending")

        from django.core.checks import register

        from .sso import check_roles

        # A provider's role mapping names portal roles: a typo stops `manage.py check`.
        register(check_roles)
