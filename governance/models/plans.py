"""
Rectification plans: what the Trust will do about a figure the contract escalates (red for
more than three consecutive months outside grace), with milestones, progress each month,
and an outcome when it is closed.

A plan is reviewed as an exception report is: each text the Trust writes (what the plan
will achieve and its milestones) is a new immutable version, each step an event. Progress
notes are added, never edited; a closed plan keeps who closed it, when, and the outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core import subjects
from opb_portal.core.fields import PeriodField

from .exceptions import Immutable, Owned, ReviewEvent


class RectificationPlan(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting the council's review"
        MORE_ASKED = "more_asked", "More asked for"
        ACCEPTED = "accepted", "Agreed"
        CLOSED = "closed", "Closed"

    OPEN = (Status.SUBMITTED, Status.MORE_ASKED, Status.ACCEPTED)

    subject = models.CharField(max_length=100, validators=[subjects.validate])
    period = PeriodField(help_text="First day of the month the figure was escalated in.")
    domain = models.CharField(max_length=30)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    current_version = models.ForeignKey(
        "PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.TextField(blank=True, help_text="What the plan achieved, when closed.")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "subject"]
        constraints = [
            # One plan at a time for a subject: a second is written once the first is closed.
            models.UniqueConstraint(
                fields=["subject"],
                condition=~models.Q(status="closed"),
                name="one_open_rectification_plan_per_subject",
            )
        ]

    def __str__(self):
        return f"rectification plan on {self.subject} from {self.period.long}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def clean(self):
        closing = (self.outcome.strip(), self.closed_by_id, self.closed_at)
        if self.status == self.Status.CLOSED and not all(closing):
            raise ValidationError("A closed plan says its outcome, who closed it and when.")
        if self.status != self.Status.CLOSED and any(closing):
            raise ValidationError("Only a closed plan has an outcome.")


class PlanVersion(Immutable):
    """What the Trust wrote: what the plan will achieve; its milestones hang on the version."""

    plan = models.ForeignKey(RectificationPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.TextField(
        "what the plan will achieve", help_text="The plan's aim and how it gets there."
    )
    reason = models.TextField(blank=True, help_text="Why this version was written.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "rectification plan version"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_numbers_unique")
        ]

    def __str__(self):
        return f"version {self.number} of the {self.plan}"


class Milestone(Owned, Immutable):
    """A step of a version of a plan: what, who answers for it, by when."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="milestones")
    order = models.PositiveSmallIntegerField()
    what = models.TextField()
    due = models.DateField("due by")

    class Meta:
        ordering = ["version", "order"]

    def __str__(self):
        return f"{self.what[:40]} by {self.due:%d %B %Y}"


class PlanProgress(Immutable):
    """The Trust's progress on a plan in a month: added, never edited."""

    plan = models.ForeignKey(RectificationPlan, on_delete=models.PROTECT, related_name="progress")
    period = PeriodField(help_text="First day of the month the progress is for.")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "period", "at", "pk"]
        verbose_name = "progress on a rectification plan"
        verbose_name_plural = "progress on rectification plans"

    def __str__(self):
        return f"progress on the {self.plan} for {self.period.long}"


class PlanEvent(ReviewEvent):
    class Action(models.TextChoices):
        WRITTEN = "written", "Wrote a version"
        ACCEPTED = "accepted", "Agreed"
        MORE_ASKED = "more_asked", "Asked for more"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey(RectificationPlan, on_delete=models.PROTECT, related_name="events")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(
        max_length=20, choices=RectificationPlan.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=RectificationPlan.Status.choices)

    class Meta(ReviewEvent.Meta):
        verbose_name = "rectification plan event"

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"
