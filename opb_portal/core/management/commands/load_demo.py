from django.core.management.base import BaseCommand
from django.db import transaction

from opb_portal.accounts.demo import DEMO_PASSWORD
from opb_portal.core.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demonstration: each domain's reference data and 2024-25 figures, the boards' "
        "meetings and their business, and one demo user per role (and both boards' chairs). "
        "Safe to run again: it changes nothing the second time."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        users = load_demo(say=self.stdout.write)
        self.stdout.write(
            f"Demo users (one per role, and both boards' chairs), all with the password "
            f"{DEMO_PASSWORD!r}:"
        )
        for user in users:
            self.stdout.write(f"  {user.username:<22} {user.get_role_display()}")
