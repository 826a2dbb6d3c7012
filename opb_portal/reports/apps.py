from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """
    The council's reports to Scrutiny and Cabinet, drafted from the figures the domains
    register in `facts`; this app never imports a domain app.
    """

    name = "opb_portal.reports"
    label = "reports"
    verbose_name = "Reports to Scrutiny and Cabinet"

    def ready(self):
        from opb_portal.accounts.permissions import Action
        from opb_portal.core import domains

        from . import jobs, reminders
        from .demo import load_demo_reports

        domains.register_navigation(
            # Who reads the reports reads the board packs: reviewers, board members, admins.
            domains.Link("Reports", "reports:list", order=104, action=Action.VIEW_PACKS),
        )
        domains.register_demo(
            domains.DemoLoader(
                order=1010,
                load=load_demo_reports,
                says="Drafted {0} reports to Scrutiny and Cabinet, and the 2025-26 forward plan.",
            )
        )
        # A report's PDF and Word document, and making it final, are made as jobs.
        jobs.register()
        # Authors are reminded of the reports they owe, daily (`remind_reports` by hand).
        reminders.register()
