from django.core.management.base import BaseCommand
from django.db import transaction

from demand.demo import load_demo_demand
from finance.demo import load_demo_finance
from kpis.demo import load_demo_kpis
from opb_portal.accounts.demo import DEMO_PASSWORD, load_demo_users
from opb_portal.boardpack.demo import load_demo_meetings
from workforce.demo import load_demo_workforce


class Command(BaseCommand):
    help = (
        "Load the KPI frameworks, the 2024-25 demonstration data (KPIs, workforce, finance, an "
        "OPB meeting) and one "
        "demo user per role. "
        "Safe to run again: it changes nothing the second time."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        users = load_demo_users()
        kpi_count = load_demo_kpis()
        self.stdout.write(f"Loaded {kpi_count} contract KPIs with 2024-25 demonstration data.")
        months = load_demo_workforce()
        self.stdout.write(
            f"Loaded {months} months of workforce figures (March 2024 to March 2025) "
            "as approved returns."
        )
        months = load_demo_finance()
        self.stdout.write(
            f"Loaded {months} months of 2024-25 finance returns (illustrative budgets)."
        )
        measures = load_demo_demand()
        self.stdout.write(
            f"Loaded {measures} demand measures with the published figures, authorities and "
            "statistical neighbours."
        )
        meeting = load_demo_meetings()
        self.stdout.write(
            f"Arranged the OPB meeting of {meeting.date:%d %B %Y}, chaired by {meeting.chair}."
        )
        self.stdout.write(f"Demo users (one per role), all with the password {DEMO_PASSWORD!r}:")
        for user in users:
            self.stdout.write(f"  {user.username:<22} {user.get_role_display()}")
