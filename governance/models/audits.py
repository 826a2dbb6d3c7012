"""
Audits and surveys the Trust carried out (the annual review's section (c)).

Each audit or survey has its theme, its dates, its sample, its findings (what is strong,
what needs to develop) and the compliance figures it measured, each on a date, so that a
figure moving through the year ("Practice Review compliance rose from 88.5% in November
2024 to 97.1% in May 2025") is two rows of one measure. The actions an audit raised are
actions of the actions log about it (subject `audit:<pk>`), so they are followed up
where every other action is.
"""

from __future__ import annotations

from itertools import zip_longest

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from opb_portal.core.fields import ExactDecimalField


class Audit(models.Model):
    class Kind(models.TextChoices):
        AUDIT = "audit", "Audit"
        THEMATIC_REVIEW = "thematic_review", "Thematic review"
        PRACTICE_REVIEW = "practice_review", "Practice reviews"
        SURVEY = "survey", "Survey"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    theme = models.CharField(max_length=200, help_text="What it looked at: neglect, supervision.")
    started = models.DateField()
    finished = models.DateField(null=True, blank=True, help_text="Blank while it is under way.")
    sample = models.CharField(
        max_length=300, blank=True, help_text="What it looked at: 120 children's files, 85 carers."
    )
    findings = models.TextField(blank=True)
    strengths = models.TextField(blank=True, help_text="Areas of strength, one to a line.")
    development = models.TextField(blank=True, help_text="Areas for development, one to a line.")
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.finished and self.finished < self.started:
            raise ValidationError({"finished": "An audit cannot finish before it starts."})

    def strengths_and_development(self) -> list[tuple[str, str]]:
        """The review's two-column table: an area of strength beside one for development."""
        strengths = [line.strip() for line in self.strengths.splitlines() if line.strip()]
        development = [line.strip() for line in self.development.splitlines() if line.strip()]
        return list(zip_longest(strengths, development, fillvalue=""))

    @property
    def subject_ref(self) -> str:
        """The reference the actions log files its actions under."""
        return f"audit:{self.pk}"


class AuditFigure(models.Model):
    """A compliance figure an audit measured on a day: a percentage."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="figures")
    measure = models.CharField(max_length=200, help_text="Practice Review compliance.")
    as_at = models.DateField()
    # Kept as written: 88.5 stays 88.5, 97.10 stays 97.10.
    percent = ExactDecimalField(validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        ordering = ["audit", "measure", "as_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "measure", "as_at"], name="one_audit_figure_a_day"
            )
        ]

    def __str__(self):
        return f"{self.measure} {self.percent}% on {self.as_at}"
