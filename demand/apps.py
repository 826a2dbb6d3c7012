from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = "Demand and benchmarking"

    def ready(self):
        from . import pack

        pack.register()
