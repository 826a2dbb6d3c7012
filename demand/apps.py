from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = "Demand and benchmarking"

    def ready(self):
        from django.urls import reverse

        from opb_portal.core import api as core_api
        from opb_portal.core import domains
        from opb_portal.submissions import registry

        from . import pack
        from .api import router
        from .demo import load_demo_demand
        from .returns import spec

        domains.register(
            domains.Domain(
                name="demand",
                label="demand",
                # /demand/ and /benchmarks/<measure>/: the context behind every KPI.
                pages=domains.Pages("demand.urls"),
                navigation=(
                    domains.Link("Demand", "demand:dashboard", order=50, on_error_pages=True),
                ),
                # No submitter role of its own: the activity return is sent by the role
                # its spec names, which another domain registers (a system check sees to it).
                demo=domains.DemoLoader(
                    order=40,
                    load=load_demo_demand,
                    says=(
                        "Loaded {} demand measures with the published figures, authorities and "
                        "statistical neighbours."
                    ),
                ),
            )
        )
        registry.register(spec)
        pack.register()

        from opb_portal.core import counts

        from .selectors import IN_CARE, latest_in_care

        # The count of children we care for, for the finance plan to set beside its own.
        counts.register(IN_CARE, latest_in_care)

        from . import projection
        from .selectors import in_care_history

        # Children we care for and their placements projected (stock and flow), for the
        # finance driver model to cost (`opb_portal.core.projections`).
        projection.register(in_care_history)

        from opb_portal.comparators import registry as comparators

        from .selectors import comparator_subjects

        # Comparator figures may be imported for every measure (listed before the KPIs).
        comparators.register(
            comparators.SubjectSource(
                noun="demand measure",
                example="children_in_care",
                subjects=comparator_subjects,
                order=10,
                url=lambda code: reverse("demand:benchmark", args=[code]),
            )
        )

        # /api/v1/demand/.
        core_api.register("/", router)

        from opb_portal.reports import facts

        from .facts import KEYS, demand_facts

        # The figures reports to Scrutiny and Cabinet and the annual review are drafted from.
        facts.register("demand", demand_facts, keys=KEYS)
