from django.apps import AppConfig


class ComparatorsConfig(AppConfig):
    """
    The one store of published comparator figures (authorities, statistical-neighbour
    groups, their figures and published averages) and the import that changes them.

    Shared machinery: every domain reads its comparators here by code, and registers
    the codes it benchmarks (`registry`); this app never imports a domain.
    """

    name = "opb_portal.comparators"
    label = "comparators"
    verbose_name = "Comparators"

    def ready(self):
        from opb_portal.accounts.permissions import Action
        from opb_portal.core import api as core_api
        from opb_portal.core import domains
        from opb_portal.submissions import checking

        from . import checks, published, registry

        # The published statistics mapped to codes no domain has (care leavers, the
        # workforce census) are still figures the store accepts.
        registry.register(published.SOURCE)
        # A file sent to import is read and checked off the request (a job).
        checking.register(checks.COMPARATOR_FILES)
        checking.register(checks.STATISTICS_FILES)

        from .api import router

        # /api/v1/benchmarks/: any code's benchmark from the stored figures.
        core_api.register("/", router)

        domains.register_navigation(
            domains.Link(
                "Comparators", "comparators:list", order=130, action=Action.MANAGE_FRAMEWORKS
            )
        )
        domains.register_navigation(
            domains.Link("Published statistics", "comparators:published", order=55)
        )
