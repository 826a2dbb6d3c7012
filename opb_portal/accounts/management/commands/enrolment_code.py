"""
`manage.py enrolment_code USERNAME`: issue the one-time code a person whose role requires
two-factor sign-in needs to set up their first factor, and print it, once.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opb_portal.accounts.management import person_named
from opb_portal.accounts.two_factor import (
    ENROLMENT_CODE_LIFETIME,
    TwoFactorError,
    enrolment_code_issue,
)
from opb_portal.core.audit import log_event


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment code for USERNAME's first second factor and print it once "
        "(it works for 24 hours; any earlier code of theirs stops working)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = person_named(username)
        try:
            code = enrolment_code_issue(user=user, issued_by=None)
        except TwoFactorError as refused:
            raise CommandError(refused.message) from refused
        log_event("enrolment_code_issued", for_user=user.username, issued_from="manage.py")
        until = timezone.localtime(timezone.now() + ENROLMENT_CODE_LIFETIME)
        self.stdout.write(code)
        self.stderr.write(
            f"Enrolment code for {user} ({user.username}). It works once, until "
            f"{until:%H:%M on %d %B %Y}. Give it to them in person or by phone, not by email; "
            "it is not shown again."
        )
