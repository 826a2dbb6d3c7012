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
