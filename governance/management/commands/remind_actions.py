"""
`manage.py remind_actions`: email each action's owner what is owed today, for a scheduler
to run daily.

A week before an action is due, and once it is overdue, its owner is emailed (the raising
email is sent when it is raised). Each reminder is recorded, one of a kind per due date, so
running it twice in a day, or two runs at once, sends nothing twice. The emails go through
the outbox; `send_mail_outbox` sends them.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from governance.actions.services import actions_remind


class Command(BaseCommand):
    help = "Email action owners a week before due and when overdue (once each); run daily."

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
        sent = actions_remind(day=day)
        for reminder in sent:
            self.stdout.write(
                f"{reminder.get_kind_display()}: {reminder.action.reference} to {reminder.email.to}"
            )
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} queued.")
