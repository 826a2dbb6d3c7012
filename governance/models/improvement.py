"""
The Trust's Improvement Plan (the annual review's section (a)).

A plan covers a financial year and is signed off by the Trust Board and the Strategic
Partnership Board on dates kept as data. It has priorities ("Priority 1 - People"), each
overseen by a named executive director (its sponsor) with an ambition statement; each
priority has actions with a milestone and a date, and each action's progress is recorded
through the year as a RAG status with the reason for it. Progress is only added: the
latest update is the action's status, the earlier ones its history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.periods import FinancialYear


class ImprovementPlan(models.Model):
    """The Improvement Plan of one financial year."""

    start_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The financial year the plan covers, by the year it starts in."
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="What the plan is for, in a paragraph.")
    trust_board_signed_off = models.DateField(
        "signed off by the Trust Board", null=True, blank=True
    )
    spb_signed_off = models.DateField(
        "signed off by the Strategic Partnership Board", null=True, blank=True
    )
    # Demonstration plans say which of their parts the seeds did not publish.
    illustrative = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_year"]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.start_year)


class ImprovementPriority(models.Model):
    """A priority of the plan, overseen by a named executive director."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    ambition = models.TextField("ambition statement", blank=True)
    sponsor = models.CharField(
        max_length=200, help_text="The executive director who oversees it: a name and a post."
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_priority_a_number")
        ]

    def __str__(self):
        return f"Priority {self.number} - {self.title}"


class ImprovementAction(models.Model):
    """An action of a priority, with the milestone that shows it done and its date."""

    priority = models.ForeignKey(
        ImprovementPriority, on_delete=models.PROTECT, related_name="actions"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, help_text="What is to be done, in a sentence.")
    lead = models.CharField(max_length=200, help_text="Who leads it: a name or a post.")
    milestone = models.CharField(max_length=300, help_text="What shows it is done.")
    due = models.DateField()

    class Meta:
        ordering = ["priority", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "number"], name="one_improvement_action_a_number"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """How the plan cites it: 2.3 (priority 2, action 3)."""
        return f"{self.priority.number}.{self.number}"


class ImprovementProgress(models.Model):
    """Where an action stood on a day, in RAG with the reason, as someone recorded it."""

    class Status(models.TextChoices):
        GREEN = "green", "On track"
        AMBER = "amber", "At risk"
        RED = "red", "Off track"
        DONE = "done", "Complete"

    action = models.ForeignKey(ImprovementAction, on_delete=models.PROTECT, related_name="progress")
    as_at = models.DateField()
    status = models.CharField(max_length=5, choices=Status.choices)
    reason = models.TextField(help_text="Why it stands there: what was done, what is in the way.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "as_at", "pk"]

    def __str__(self):
        return f"{self.action.reference} on {self.as_at}: {self.get_status_display()}"

    def clean(self):
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why the action stands where it does."})
