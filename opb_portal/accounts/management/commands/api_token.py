from django.core.management.base import BaseCommand, CommandError

from opb_portal.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Make a new API key for USERNAME and print it, once: only its hash is kept. "
        "Their other keys keep working; they revoke them on their account page."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the key is for.")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user called {username!r}.") from exc
        _, key = ApiToken.issue(user=user, name=name or "Made with manage.py api_token")
        self.stdout.write(key)
