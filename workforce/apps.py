from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "Social work workforce"

    def ready(self):
        from opb_portal.accounts.roles import DemoPerson, SubmitterRole
        from opb_portal.core import api as core_api
        from opb_portal.core import domains
        from opb_portal.submissions import crosschecks, registry

        from . import pack
        from .api import router
        from .demo import load_demo_workforce
        from .returns import VACANCY_RATE, spec

        domains.register(
            domains.Domain(
                name="workforce",
                label="workforce",
                pages=domains.Pages("workforce.urls", prefix="workforce/"),
                navigation=(
                    domains.Link("Workforce", "workforce:dashboard", order=40, on_error_pages=True),
                ),
                submitter=SubmitterRole(
                    spec.submitter_role,
                    "Trust submitter: workforce",
                    demo_person=DemoPerson("workforce.submitter", "Grace", "Okafor"),
                ),
                # After the KPIs: the workforce history starts from the KPI demonstration's rows.
                demo=domains.DemoLoader(
                    order=20,
                    load=load_demo_workforce,
                    says=(
                        "Loaded {} months of workforce figures (March 2024 to March 2025) "
                        "as approved returns."
                    ),
                ),
            )
        )
        registry.register(spec)
        # The permanent vacancy rate, for the KPI that declares it is the same figure (PI12).
        crosschecks.register(VACANCY_RATE)
        pack.register()
        core_api.register("/workforce/", router)

        from . import subjects

        # Actions and risks may be about a workforce measure.
        subjects.register()

        from opb_portal.reports import facts

        from .facts import KEYS, workforce_facts

        # The figures reports to Scrutiny and Cabinet and the annual review are drafted from.
        facts.register("workforce", workforce_facts, keys=KEYS)
