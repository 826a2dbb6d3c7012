from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """
    Ofsted's published outcomes: every authority's inspections and visits of its children's
    services, imported from Ofsted's management information as published; the agencies'
    inspections, the LGA's peer reviews and every inspection's recommendations, recorded by
    hand; Sandwell's history beside its statistical neighbours' latest judgements; the
    annual review's section (d) and the figures reports say. It reads the authorities and
    neighbour groups of the machinery's comparators, and no other domain.
    """

    name = "inspections"
    verbose_name = "Ofsted inspections"

    def ready(self):
        from opb_portal.accounts.permissions import Action
        from opb_portal.core import domains
        from opb_portal.submissions import checking

        from . import annual, checks, facts, subjects
        from .demo import load_demo_inspections

        domains.register(
            domains.Domain(
                name="inspections",
                label="Ofsted",
                pages=domains.Pages("inspections.urls", prefix="inspections/"),
                navigation=(
                    # Beside the benchmarks: how Ofsted judged Sandwell and its neighbours.
                    domains.Link("Ofsted", "inspections:history", order=56),
                    domains.Link(
                        "Ofsted imports",
                        "inspections:imports",
                        order=132,
                        action=Action.MANAGE_FRAMEWORKS,
                    ),
                ),
                demo=domains.DemoLoader(
                    # After demand (40), whose loader stores the authorities too.
                    order=60,
                    load=load_demo_inspections,
                    says="Recorded {} Ofsted inspections and visits of Sandwell.",
                ),
            )
        )
        # Section (d) of the annual review.
        annual.register()
        # The figures reports say, and the recommendations the actions log follows up.
        facts.register()
        subjects.register()
        # Ofsted's file, sent to import, is read and checked off the request (a job).
        checking.register(checks.OFSTED_FILES)
