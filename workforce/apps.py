from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "Social work workforce"

    def ready(self):
        from opb_portal.submissions import registry

        from . import pack
        from .returns import spec

        registry.register(spec)
        pack.register()

        from opb_portal.core import api as core_api

        from .api import router

        core_api.register("/workforce/", router)
