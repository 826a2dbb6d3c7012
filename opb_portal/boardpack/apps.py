from django.apps import AppConfig


class BoardPackConfig(AppConfig):
    """
    The partnership boards' meetings and their board packs.

    The pack is assembled from the sections the domain apps register in
    `sections` from their own `ready()`; this app never imports a domain app.
    """

    name = "opb_portal.boardpack"
    label = "boardpack"
    verbose_name = "Meetings and board packs"

    def ready(self):
        from opb_portal.accounts.permissions import Action
        from opb_portal.core import domains

        from . import annual_jobs, front, home, jobs
        from .demo import load_demo_meetings

        domains.register_navigation(
            domains.Link(
                "Board packs",
                "boardpack:meetings",
                order=100,
                action=Action.VIEW_PACKS,
                on_error_pages=True,
            ),
            # The year's review, drafts and frozen ones: everyone who reads the dashboards.
            domains.Link("Annual review", "boardpack:annual_reviews", order=102),
        )
        domains.register_demo(
            domains.DemoLoader(
                order=1000,
                load=load_demo_meetings,
                says="Arranged the OPB meeting of {0.date:%d %B %Y}, chaired by {0.chair}, "
                "the next OPB and an SPB meeting.",
            )
        )
        # The board's home page: where the contract stands, and the meetings with their packs.
        home.register()
        # The annual review's Executive Summary and section (k): parts no domain owns.
        front.register()
        # The pack's preview and issue, done off the request (opb_portal.jobs).
        jobs.register()
        # The annual review as it stands, as a PDF or a Word document, made as a job.
        annual_jobs.register()
