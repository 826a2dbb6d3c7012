from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "opb_portal.submissions"
    label = "submissions"
    verbose_name = "Monthly returns"

    def ready(self):
        from django.core import checks

        from opb_portal.accounts.permissions import Action
        from opb_portal.core import domains

        from . import checking, home
        from .registry import check_senders

        checks.register(check_senders)
        domains.register_navigation(
            domains.Link(
                "Returns",
                "submissions:list",
                order=110,
                action=Action.VIEW_RETURNS,
                on_error_pages=True,
            ),
            domains.Link(
                "Lock months", "submissions:periods", order=120, action=Action.LOCK_PERIOD
            ),
        )
        # What is due from a submitter, and what waits for a reviewer, on their home page.
        home.register()
        # An uploaded workbook is read and checked off the request (a job).
        checking.register(checking.RETURNS)
