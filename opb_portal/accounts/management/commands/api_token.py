from django.core.management.base import BaseCommand, CommandError

from opb_portal.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Print the API token of USERNAME, creating one if they have none."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user called {username!r}.") from exc
        token, _ = ApiToken.objects.get_or_create(
            user=user, defaults={"key": ApiToken.generate_key()}
        )
        self.stdout.write(token.key)
