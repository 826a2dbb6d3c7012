from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "Contract KPIs"

    def ready(self):
        from opb_portal.accounts.roles import DemoPerson, SubmitterRole
        from opb_portal.core import api as core_api
        from opb_portal.core import domains
        from opb_portal.submissions import crosschecks, registry

        from . import pack, selectors
        from .api import router
        from .demo import load_demo_kpis
        from .returns import spec

        domains.register(
            domains.Domain(
                name="kpis",
                label="KPI",
                pages=domains.Pages("kpis.urls", prefix="kpis/"),
                navigation=(
                    domains.Link("KPI scorecard", "kpis:scorecard", order=10, on_error_pages=True),
                    domains.Link("Year summary", "kpis:year_summary_latest", order=20),
                ),
                submitter=SubmitterRole(
                    spec.submitter_role,
                    "Trust submitter: KPIs",
                    demo_person=DemoPerson("kpi.submitter", "Priya", "Shah"),
                ),
                demo=domains.DemoLoader(
                    order=10,
                    load=load_demo_kpis,
                    says="Loaded {} contract KPIs with 2024-25 demonstration data.",
                ),
            )
        )
        registry.register(spec)
        # A KPI may declare it is another return's figure (PI12: the permanent vacancy rate).
        crosschecks.register_finder(spec.domain, selectors.declared_figure)
        pack.register()

        from opb_portal.comparators import registry as comparators

        from .selectors import comparator_subjects

        # Comparator figures may be imported for every KPI of every framework.
        comparators.register(
            comparators.SubjectSource(
                noun="KPI", example="PI1", subjects=comparator_subjects, order=20
            )
        )

        core_api.register("/kpis/", router)

        from . import subjects

        # Exception reports, actions and risks may be about a KPI.
        subjects.register()

        from . import off_track

        # The KPIs red (and amber, where asked) in a month: exception reports, rectification plans.
        off_track.register()

        from . import home

        # "Looking ahead": the KPIs whose forecast warns of red, on everyone's home page.
        home.register()

        from . import rule_versions

        # A change in the change control log may create a KPI's threshold rule.
        rule_versions.register()

        from opb_portal.reports import facts

        from .facts import KEYS, kpi_facts

        # The figures reports to Scrutiny and Cabinet and the annual review are drafted from.
        facts.register("kpis", kpi_facts, keys=KEYS)
        # The forecasts made again nightly, and by an administrator as a job.
        from . import forecast_jobs

        forecast_jobs.register()
