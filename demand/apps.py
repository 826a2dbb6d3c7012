from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = "Demand and benchmarking"

    def ready(self):
        from opb_portal.submissions import registry

        from . import pack
        from .returns import spec

        registry.register(spec)
        pack.register()
