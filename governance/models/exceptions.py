"""
Exception reports: the Trust's account of a figure off track in a month, and the council's
review of it.

A report is about one subject (`opb_portal.core.subjects`: `kpi:2024/PI9`) in one month. It
is kept as a return is: every text the Trust writes is a new, immutable, numbered version;
every change of state is an event with who, when, from, to and why; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core import subjects
from opb_portal.core.fields import PeriodField


class Immutable(models.Model):
    """A row of the record: written once, never changed (a change is a new row)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"A {self._meta.verbose_name} is kept as written; add a new one.")
        super().save(*args, **kwargs)


class Owned(models.Model):
    """Who answers for something: a named person and their organisation."""

    owner_name = models.CharField(
        "owner", max_length=200, help_text="The person who answers for it, with their role."
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def owner(self) -> str:
        return f"{self.owner_name} ({self.owner_organisation})"


class ReviewEvent(Immutable):
    """One step of a record's review: who did what, when, from which state to which, and why."""

    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class ExceptionReport(models.Model):
    """The exception report on one subject in one month: its state and its current version."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting the council's review"
        MORE_ASKED = "more_asked", "More asked for"
        ACCEPTED = "accepted", "Accepted"

    subject = models.CharField(max_length=100, validators=[subjects.validate])
    period = PeriodField(help_text="First day of the month the figure is off track in.")
    # The return the figure belongs to: its submitters write the report.
    domain = models.CharField(max_length=30)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    current_version = models.ForeignKey(
        "ExceptionReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "period"], name="one_exception_report_per_subject_per_month"
            )
        ]

    def __str__(self):
        return f"exception report on {self.subject} for {self.period.long}"

    @property
    def accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class ExceptionReportVersion(Owned, Immutable):
    """What the Trust wrote: the cause, what is being done, who owns it, when it is back."""

    report = models.ForeignKey(ExceptionReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    cause = models.TextField(help_text="Why the figure is off track.")
    action_taken = models.TextField(
        "what is being done", help_text="What is being done to bring it back on target."
    )
    back_on_target = models.DateField(
        "expected back on target by", help_text="When the figure is expected to be on target."
    )
    reason = models.TextField(blank=True, help_text="Why this version was written.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "exception report version"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="exception_report_version_numbers_unique"
            )
        ]

    def __str__(self):
        return f"version {self.number} of the {self.report}"

    def clean(self):
        if not self.cause.strip() or not self.action_taken.strip():
            raise ValidationError("Say why the figure is off track and what is being done.")


class ExceptionReportEvent(ReviewEvent):
    class Action(models.TextChoices):
        WRITTEN = "written", "Wrote a version"
        ACCEPTED = "accepted", "Accepted"
        MORE_ASKED = "more_asked", "Asked for more"

    report = models.ForeignKey(ExceptionReport, on_delete=models.PROTECT, related_name="events")
    version = models.ForeignKey(
        ExceptionReportVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(
        max_length=20, choices=ExceptionReport.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=ExceptionReport.Status.choices)

    class Meta(ReviewEvent.Meta):
        verbose_name = "exception report event"

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"
