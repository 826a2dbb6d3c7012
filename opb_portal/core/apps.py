from django.apps import AppConfig


def _signed_in(sender, request, user, **kwargs):
    from . import audit
    from .middleware import mark_signed_in

    if request is not None and hasattr(request, "session"):
        mark_signed_in(request.session)
    # "password", or "sso:council" / "sso:trust" (set by accounts.sign_in_views.sso_callback).
    audit.log_event(
        "login", request=request, user=user, via=getattr(request, "sign_in_via", "password")
    )


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    from . import audit

    # Django has already masked the password; only the username is kept.
    audit.log_event("login_failed", request=request, username=credentials.get("username", ""))


class CoreConfig(AppConfig):
    name = "opb_portal.core"
    label = "core"
    verbose_name = "Portal core"

    def ready(self):
        # Auth events only: Django announces sign-ins through signals and nothing else.
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        user_logged_in.connect(_signed_in, dispatch_uid="opb-audit-login")
        user_login_failed.connect(_sign_in_failed, dispatch_uid="opb-audit-login-failed")

        from opb_portal.accounts.permissions import Action

        from . import domains, home

        domains.register_navigation(
            # The home page (core.home): what needs the person first, by role.
            domains.Link("Home", "home", order=1),
            domains.Link(
                "Administration", "admin:index", order=200, action=Action.MANAGE_FRAMEWORKS
            ),
        )
        home.register_own()
