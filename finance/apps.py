from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"

    def ready(self):
        from opb_portal.accounts.roles import DemoPerson, SubmitterRole
        from opb_portal.core import api as core_api
        from opb_portal.core import domains
        from opb_portal.submissions import registry

        from . import pack
        from .api import router
        from .demo import load_demo_finance
        from .returns import spec

        domains.register(
            domains.Domain(
                name="finance",
                label="finance",
                pages=domains.Pages("finance.urls", prefix="finance/"),
                navigation=(
                    domains.Link("Finance", "finance:dashboard", order=30, on_error_pages=True),
                ),
                submitter=SubmitterRole(
                    spec.submitter_role,
                    "Trust submitter: finance",
                    demo_person=DemoPerson("finance.submitter", "Tom", "Bailey"),
                ),
                demo=domains.DemoLoader(
                    order=30,
                    load=load_demo_finance,
                    says="Loaded {} months of 2024-25 finance returns (illustrative budgets).",
                ),
            )
        )
        registry.register(spec)
        pack.register()

        from . import against_plan

        # Demand against the plan's assumptions, for the demand pages to show.
        against_plan.register()
        core_api.register("/finance/", router)

        from . import subjects

        # Actions and risks may be about a finance line.
        subjects.register()

        from opb_portal.reports import facts

        from .facts import KEYS, finance_facts

        # The figures reports to Scrutiny and Cabinet and the annual review are drafted from.
        facts.register("finance", finance_facts, keys=KEYS)
