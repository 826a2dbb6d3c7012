from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "Contract KPIs"

    def ready(self):
        from opb_portal.submissions import registry

        from .returns import spec

        registry.register(spec)

        from . import pack

        pack.register()

        from opb_portal.core import api as core_api

        from .api import router

        core_api.register("/kpis/", router)
