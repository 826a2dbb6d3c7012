from django.core.management.base import BaseCommand

from opb_portal.accounts.management import person_named
from opb_portal.accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "Make a new API key for USERNAME and print it, once: only its hash is kept. "
        "Their other keys keep working; they revoke them on their account page."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the key is for.")

    def handle(self, *args, username, name, **options):
        user = person_named(username)
        _, key = ApiToken.issue(user=user, name=name or "Made with manage.py api_token")
        self.stdout.write(key)
