"""
The decisions log: what a board decided, at which meeting, recorded by whom, and what it
concerns (subjects, actions). A decision is never edited or deleted: a later decision
supersedes it, and the earlier one stays in the log, marked.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core import subjects


def validate_subjects(value) -> None:
    if not isinstance(value, list) or not all(isinstance(ref, str) for ref in value):
        raise ValidationError("Subjects are a list of references, such as kpi:2024/PI9.")
    for ref in value:
        subjects.validate(ref)


class Decision(models.Model):
    meeting = models.ForeignKey(
        "boardpack.Meeting", on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField(help_text="What was decided, as the minutes record it.")
    subjects = models.JSONField(default=list, blank=True, validators=[validate_subjects])
    actions = models.ManyToManyField("governance.Action", blank=True, related_name="decisions")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-meeting__date", "pk"]

    def __str__(self):
        return f"Decision {self.reference} of the {self.meeting}"

    @property
    def reference(self) -> str:
        """How the board's papers cite it: D4."""
        return f"D{self.pk}"
