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

        from opb_portal.core import counts

        from .selectors import IN_CARE, latest_in_care

        # The count of children we care for, for the finance plan to set beside its own.
        counts.register(IN_CARE, latest_in_care)

        from opb_portal.comparators import registry as comparators

        from .selectors import comparator_subjects

        # Comparator figures may be imported for every measure (listed before the KPIs).
        comparators.register(
            comparators.SubjectSource(
                noun="demand measure",
                example="children_in_care",
                subjects=comparator_subjects,
                order=10,
            )
        )

        from opb_portal.core import api as core_api

        from .api import router

        # /api/v1/demand/ and /api/v1/benchmarks/.
        core_api.register("/", router)
