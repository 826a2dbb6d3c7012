from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"

    def ready(self):
        from opb_portal.submissions import registry

        from . import pack
        from .returns import spec

        registry.register(spec)
        pack.register()

        from . import against_plan

        # Demand against the plan's assumptions, for the demand pages to show.
        against_plan.register()

        from opb_portal.core import api as core_api

        from .api import router

        core_api.register("/finance/", router)
