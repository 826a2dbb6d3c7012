"""
The outbox: every email the portal sends, written in the same transaction as the act it
tells of, and sent later by `manage.py send_mail_outbox`.

An act (submitting a return, approving it, setting up a second factor) never waits for
the mail server and never fails because it is down: the email is a row like any other,
kept or rolled back with the act, and the sender retries it with growing waits.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutgoingEmail(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Counted when a sender takes the message, so a sender that dies mid-send still counts.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Also a sender's claim: taking a message moves this past the time a send can take.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set after the last attempt: the sender leaves the message alone from then on.
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "outgoing email"
        indexes = [
            # The sender's one question: what is due now.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_due",
            )
        ]

    def __str__(self):
        return f"To {self.to}: {self.subject}"

    @property
    def state(self) -> "OutgoingEmail.State":
        if self.sent_at:
            return self.State.SENT
        if self.failed_at:
            return self.State.FAILED
        return self.State.WAITING

    @classmethod
    def unsent(cls) -> Q:
        return Q(sent_at__isnull=True)

    @classmethod
    def due(cls, now) -> Q:
        return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)
