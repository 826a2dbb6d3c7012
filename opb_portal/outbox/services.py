"""
Queueing an email with the act, and sending what is due.

`queue_email` is the only way the portal sends mail: it writes a row in the caller's
transaction. `outbox_send_due` is what `manage.py send_mail_outbox` runs: it takes one
due message at a time, sends it with the configured backend (which gives up after
`EMAIL_TIMEOUT`), and records what happened.

Two senders running at once never send the same message: each takes a message by moving
its `next_attempt_at` past `CLAIM_LEASE`, which only one of them can do. On PostgreSQL the
message is picked with `SELECT ... FOR UPDATE SKIP LOCKED`, so a second sender passes over
it without waiting; SQLite has no SKIP LOCKED, so there the move is a conditional UPDATE
(`WHERE next_attempt_at = <what this sender read>`) that only one sender wins. A sender
killed mid-send leaves the message to be tried again once the lease is over.
"""

from __future__ import annotations

import smtplib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import OutgoingEmail

#: Tries before a message is marked failed: waits of 1 + 2 + ... + 64 minutes, about two hours.
MAX_ATTEMPTS = 8
#: The wait after the first failure; it doubles after each further one.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=2)
#: How long a sender holds a message it took: far beyond what one send can take with
#: EMAIL_TIMEOUT on every step, so no other sender takes it meanwhile.
CLAIM_LEASE = timedelta(minutes=5)
#: What is kept of an error: the server's answer, not a page of traceback.
ERROR_LENGTH = 1000


def queue_email(*, to: str, subject: str, body: str) -> OutgoingEmail:
    """
    Queue a plain-text email to one address, in the caller's transaction: the act and its
    email are kept or rolled back together, and the act never talks to the mail server.
    """
    email = OutgoingEmail(to=to, subject=subject, body=body)
    email.full_clean()
    email.save()
    return email


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4 ... minutes, at most two hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


@dataclass
class SendReport:
    """What one pass did, for the command to print."""

    sent: list[OutgoingEmail] = field(default_factory=list)
    retrying: list[OutgoingEmail] = field(default_factory=list)
    failed: list[OutgoingEmail] = field(default_factory=list)
    #: Why the pass stopped early (the server could not be reached), if it did.
    stopped: str = ""


def _take(pk: int, *, read: datetime | None, now: datetime) -> bool:
    """Claim the message: move it past the lease, if it is still as this sender read it."""
    claim = OutgoingEmail.objects.filter(OutgoingEmail.due(now), pk=pk)
    if read is not None:
        claim = claim.filter(next_attempt_at=read)
    return bool(claim.update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1))


def _claim_next(now: datetime) -> OutgoingEmail | None:
    """The next due message, taken by this sender alone; None when nothing is due."""
    due = OutgoingEmail.objects.filter(OutgoingEmail.due(now)).order_by("next_attempt_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            pk = due.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
            if pk is None:
                return None
            _take(pk, read=None, now=now)
    else:
        while True:
            candidate = due.values_list("pk", "next_attempt_at").first()
            if candidate is None:
                return None
            pk, read = candidate
            if _take(pk, read=read, now=now):
                break
            # Another sender took it between the read and the update: look again.
    return OutgoingEmail.objects.get(pk=pk)


def _server_unreachable(error: Exception) -> bool:
    """A fault of the connection, not of this message: the next message would fail too."""
    if isinstance(error, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


def _record_failure(email: OutgoingEmail, error: Exception, now: datetime) -> None:
    email.last_error = _describe(error)
    if email.attempts >= MAX_ATTEMPTS:
        email.failed_at = now
        email.next_attempt_at = now
    else:
        email.next_attempt_at = now + retry_delay(email.attempts)
    email.save(update_fields=["last_error", "failed_at", "next_attempt_at"])


def outbox_send_due(*, limit: int | None = None, stop: threading.Event | None = None) -> SendReport:
    """
    Send the messages that are due, one at a time, oldest first.

    A message the server refuses waits `retry_delay` and is tried again, up to
    `MAX_ATTEMPTS`; when the server cannot be reached at all the pass stops after the
    first message, so a dead server costs one `EMAIL_TIMEOUT` per pass, not one per message.
    """
    report = SendReport()
    backend = get_connection(fail_silently=False)
    while limit is None or len(report.sent) + len(report.retrying) + len(report.failed) < limit:
        if stop is not None and stop.is_set():
            break
        email = _claim_next(timezone.now())
        if email is None:
            break
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            connection=backend,
        )
        try:
            message.send()
        except Exception as error:  # whatever went wrong is recorded on the message
            _record_failure(email, error, timezone.now())
            (report.failed if email.failed_at else report.retrying).append(email)
            if _server_unreachable(error):
                report.stopped = f"the mail server could not be reached ({_describe(error)})"
                break
        else:
            email.sent_at = timezone.now()
            email.save(update_fields=["sent_at"])
            report.sent.append(email)
    return report


def outbox_waiting() -> int:
    """Messages not yet sent and not given up on, due or not."""
    return OutgoingEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True).count()
