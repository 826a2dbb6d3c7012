"""
`manage.py send_mail_outbox`: send the emails that are due, once (for a timer or cron) or
`--loop` (for a service), printing what was sent and what failed. docs/operations.md.
"""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from opb_portal.outbox.services import MAX_ATTEMPTS, SendReport, outbox_send_due, outbox_waiting


class Command(BaseCommand):
    help = "Send the emails waiting in the outbox, with retries; --loop to keep doing so."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep sending until stopped (SIGTERM or Ctrl+C)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconds between passes with --loop (default 30).",
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        if not loop:
            self._print(outbox_send_due())
            return
        stop = threading.Event()

        def stop_soon(signum, frame):
            # Finish the message being sent, then leave: never half-record a send.
            stop.set()

        signal.signal(signal.SIGTERM, stop_soon)
        signal.signal(signal.SIGINT, stop_soon)
        self.stdout.write(f"Sending the outbox every {interval:g} s until stopped.")
        while not stop.is_set():
            # A restarted database must not end the service: a fresh connection each pass.
            close_old_connections()
            try:
                self._print(outbox_send_due(stop=stop), quiet=True)
            except DatabaseError as error:
                self.stderr.write(f"The database could not be reached: {error}")
            stop.wait(interval)
        self.stdout.write("Stopped.")

    def _print(self, report: SendReport, *, quiet: bool = False) -> None:
        for email in report.sent:
            self.stdout.write(f"sent: to {email.to}: {email.subject}")
        for email in report.retrying:
            when = timezone.localtime(email.next_attempt_at).strftime("%H:%M:%S")
            self.stderr.write(
                f"not sent (attempt {email.attempts} of {MAX_ATTEMPTS}, next at {when}): "
                f"to {email.to}: {email.subject}: {email.last_error}"
            )
        for email in report.failed:
            self.stderr.write(
                f"failed, given up after {email.attempts} attempts: "
                f"to {email.to}: {email.subject}: {email.last_error}"
            )
        if report.stopped:
            self.stderr.write(f"Stopped this pass: {report.stopped}.")
        done = report.sent or report.retrying or report.failed
        if done or not quiet:
            self.stdout.write(
                f"{len(report.sent)} sent, {len(report.retrying)} to retry, "
                f"{len(report.failed)} failed; {outbox_waiting()} waiting."
            )
