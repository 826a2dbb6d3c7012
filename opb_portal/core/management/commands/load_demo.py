from django.core.management.base import BaseCommand
from django.db import transaction

from kpis.demo import load_demo_kpis
from opb_portal.accounts.demo import DEMO_PASSWORD, load_demo_users


class Command(BaseCommand):
    help = (
        "Load the KPI frameworks, the 2024-25 demonstration data and one demo user per role. "
        "Safe to run again: it changes nothing the second time."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        users = load_demo_users()
        kpi_count = load_demo_kpis()
        self.stdout.write(f"Loaded {kpi_count} contract KPIs with 2024-25 demonstration data.")
        self.stdout.write(f"Demo users (one per role), all with the password {DEMO_PASSWORD!r}:")
        for user in users:
            self.stdout.write(f"  {user.username:<22} {user.get_role_display()}")
