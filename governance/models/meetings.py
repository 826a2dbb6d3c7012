"""
A meeting's business: who attended, its agenda, its minutes.

The meeting itself (its board, date, month, chair, and the packs issued for it) is the
board pack's (`opb_portal.boardpack.models.Meeting`); these rows hang from it. Nothing here
is deleted: an agenda item is withdrawn, minutes are saved as a new version, and approved
minutes are frozen.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core import subjects


class Attendee(models.Model):
    """Someone the minutes record as present or as having sent apologies."""

    class Attendance(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(
        "boardpack.Meeting", on_delete=models.PROTECT, related_name="attendees"
    )
    name = models.CharField(max_length=200)
    job_title = models.CharField(
        max_length=200, help_text="Their role: Chief Executive, Director of Children's Services."
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # Many who attend have no account (the Lead Member, a legal officer): the name is what counts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "attendance", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="attendee_named_once")
        ]

    def __str__(self):
        return f"{self.name}, {self.job_title} ({self.get_attendance_display().lower()})"


class AgendaItem(models.Model):
    """
    One item of a meeting's agenda, in `position` order.

    The agenda is drafted from the month's figures (each figure off track, escalations,
    finance, workforce, overdue actions: `origin` says which, once each); the chair adds
    items, moves them, and withdraws one that is no longer wanted.
    """

    class Kind(models.TextChoices):
        STANDING = "standing", "Standing item"
        EXCEPTION = "exception", "Exception"
        ESCALATION = "escalation", "Escalation"
        FINANCE = "finance", "Finance"
        WORKFORCE = "workforce", "Workforce"
        ACTIONS = "actions", "Actions"
        OTHER = "other", "Other business"

    meeting = models.ForeignKey(
        "boardpack.Meeting", on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    subject = models.CharField(
        max_length=100, blank=True, validators=[subjects.validate], help_text="kpi:2024/PI9"
    )
    # Where a drafted item came from ("off-track:kpi:2024/PI9", "finance"), so drafting the
    # agenda again adds only what is new; empty for an item the chair added.
    origin = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "origin"],
                condition=~models.Q(origin=""),
                name="agenda_item_drafted_once",
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class MinutesVersion(models.Model):
    """
    One saved text of a meeting's minutes. Each save is a new version; approving a version
    (at the board's next meeting) freezes the minutes: no version is saved after it.
    """

    meeting = models.ForeignKey(
        "boardpack.Meeting", on_delete=models.PROTECT, related_name="minutes_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField()
    approved_at_meeting = models.ForeignKey(
        "boardpack.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_approved_here",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_numbers_unique"),
            # One approved version a meeting: approval freezes the minutes.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(approved_at__isnull=False),
                name="minutes_approved_once",
            ),
        ]

    def __str__(self):
        return f"Version {self.number} of the minutes of the {self.meeting}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    def clean(self):
        if self.approved_at and not (self.approved_by_id and self.approved_at_meeting_id):
            raise ValidationError("Approved minutes say who approved them and at which meeting.")
