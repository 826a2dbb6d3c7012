from django.apps import AppConfig


class BoardPackConfig(AppConfig):
    """
    OPB meetings and their board packs.

    The pack is assembled from the sections the domain apps register in
    `sections` from their own `ready()`; this app never imports a domain app.
    """

    name = "opb_portal.boardpack"
    label = "boardpack"
    verbose_name = "OPB meetings and board packs"

    def ready(self):
        from opb_portal.accounts.permissions import Action
        from opb_portal.core import domains

        domains.register_navigation(
            domains.Link(
                "Board packs",
                "boardpack:meetings",
                order=100,
                action=Action.VIEW_PACKS,
                on_error_pages=True,
            )
        )
