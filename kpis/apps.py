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

        from opb_portal.comparators import registry as comparators

        from .selectors import comparator_subjects

        # Comparator figures may be imported for every KPI of every framework.
        comparators.register(
            comparators.SubjectSource(
                noun="KPI", example="PI1", subjects=comparator_subjects, order=20
            )
        )

        from opb_portal.core import api as core_api

        from .api import router

        core_api.register("/kpis/", router)
