"""
`manage.py remind_reports`: email each report's named author what is owed today, for a
scheduler to run daily: 28 and 7 days before the report is due, and once it is overdue
(if no report is final). Each is sent once (`ReportDue.reminded_on`), so running it again
sends nothing twice. The emails go through the outbox; `send_mail_outbox` sends them.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from opb_portal.reports.services import reports_remind


class Command(BaseCommand):
    help = "Email report authors 28 and 7 days before due and when overdue (once each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="The day to remind for, YYYY-MM-DD (default: today).", default=None
        )

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"{options['date']!r} is not a date: write 2025-05-09.") from exc
        sent = reports_remind(day=day)
        for email in sent:
            self.stdout.write(f"{email.subject} to {email.to}")
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} queued.")
