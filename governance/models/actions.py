"""
The actions log: what someone has been asked to do, by when, and whether it was done.

An action is raised at a meeting or against a subject (a KPI, a finance line, a workforce
measure: `opb_portal.core.subjects`), or both. It has one owner, a portal user, whose
organisation it is for; it is carried from meeting to meeting until it is closed with an
outcome. Nothing is deleted: updates are added, a moved due date is an update, and a
closed action stays in the log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core import subjects

#: "A week before due": when the owner is reminded.
REMIND_BEFORE = datetime.timedelta(days=7)


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=300, help_text="What is to be done, in a sentence.")
    detail = models.TextField(blank=True)
    meeting = models.ForeignKey(
        "boardpack.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_raised",
        help_text="The meeting that raised it, if a meeting did.",
    )
    subject = models.CharField(
        max_length=100,
        blank=True,
        validators=[subjects.validate],
        help_text="What it is about: kpi:2024/PI9, finance:PLACEMENTS.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned"
    )
    due = models.DateField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["subject"], name="action_subject")]

    def __str__(self):
        return f"Action {self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        """How the board's papers cite it: A12."""
        return f"A{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def overdue_on(self, day: datetime.date) -> bool:
        """Open and past its due date on `day`."""
        return self.is_open and self.due < day

    def clean(self):
        if not self.meeting_id and not self.subject:
            raise ValidationError("An action is raised at a meeting, or about a figure, or both.")
        if self.status == self.Status.CLOSED and not self.outcome.strip():
            raise ValidationError({"outcome": "Say what came of the action before closing it."})
        if self.status == self.Status.CLOSED and not (self.closed_by_id and self.closed_at):
            raise ValidationError("A closed action says who closed it and when.")
        if self.owner_id and not self.owner.organisation_id:
            raise ValidationError({"owner": "An action's owner belongs to an organisation."})


class ActionUpdate(models.Model):
    """Progress on an action, dated; a moved due date is recorded here with its reason."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField()
    # Set when the update moved the due date: from what, to what.
    due_was = models.DateField(null=True, blank=True)
    due_now = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self):
        return f"Update on {self.action.reference} of {self.at:%d %b %Y}"


class ActionReminder(models.Model):
    """
    An email sent to an action's owner: when raised, a week before due, when overdue.

    One of each kind for each due date (the constraint), so the daily command is
    idempotent, and moving the due date earns the owner fresh reminders.
    """

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        DUE_SOON = "due_soon", "Due within a week"
        OVERDUE = "overdue", "Overdue"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due = models.DateField(help_text="The due date the reminder was about.")
    email = models.ForeignKey("outbox.OutgoingEmail", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "due"], name="one_reminder_of_a_kind_per_due_date"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.action.reference}"
