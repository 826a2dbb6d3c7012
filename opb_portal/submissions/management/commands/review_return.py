from django.core.management.base import BaseCommand, CommandError

from opb_portal.accounts.models import User
from opb_portal.periods import Period, PeriodError
from opb_portal.submissions import registry, services
from opb_portal.submissions.selectors import return_with_history


class Command(BaseCommand):
    help = "Approve a submitted return, or return it with a query, as a reviewer does on screen."

    def add_arguments(self, parser):
        parser.add_argument("domain", help=f"the return: {registry.domains_in_words()}")
        parser.add_argument("period", help="the month, e.g. 2025-03")
        parser.add_argument("--user", required=True, help="the council reviewer")
        decision = parser.add_mutually_exclusive_group(required=True)
        decision.add_argument("--approve", action="store_true")
        decision.add_argument("--return-with", metavar="COMMENT", help="the query for the Trust")

    def handle(self, *args, domain, period, user, approve, return_with, **options):
        try:
            registry.get(domain)
            month = Period.parse(period)
        except KeyError as exc:
            raise CommandError(f"No return is called {domain!r}.") from exc
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        person = User.objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No user called {user!r}.")
        ret = return_with_history(domain=domain, period=month)
        if ret is None:
            raise CommandError(f"There is no {domain} return for {month.long}.")
        try:
            if approve:
                services.return_approve(ret=ret, user=person)
            else:
                services.return_send_back(ret=ret, user=person, comment=return_with)
        except services.ReturnError as exc:
            raise CommandError(exc.message) from exc
        ret.refresh_from_db()
        self.stdout.write(f"The {ret} is now {ret.get_status_display().lower()}.")
