"""
The risk register: risks to the partnership, each linked to what it concerns.

A risk is rated likelihood × impact (1 to 5 each) at every review, and each review is kept:
the register shows the latest, the risk's page all of them. A risk is closed with who,
when and why, never deleted.

The RAG of a score is the portal's one evaluator (`opb_portal.rag`) with a fixed rule,
lower is better: green to 6, red from 15 (the council's usual banding of a 5 × 5 matrix:
1-6 low, 8-12 medium, 15-25 high), amber between (8, 9, 10 and 12).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from opb_portal import rag
from opb_portal.core import subjects

SCORE_BANDS = rag.Bounds(
    green_lower=rag.Bound(None, True),
    green_upper=rag.Bound(Decimal(6), True),
    red_below=rag.Bound(None, False),
    red_above=rag.Bound(Decimal(15), True),
)
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def score_status(score: int) -> rag.Status:
    """The RAG of likelihood × impact: green 1-6, amber 8-12, red 15-25."""
    return rag.evaluate(Decimal(score), SCORE_BANDS)


class Risk(models.Model):
    """One risk on the register."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.CharField(
        max_length=200, help_text="Who owns the risk: a post and organisation, or a name."
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    # Set once, when the risk is closed; never cleared.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def clean(self):
        if self.closed_at and not (self.closed_by_id and self.close_reason.strip()):
            raise ValidationError({"close_reason": "Say who closed the risk and why."})


class RiskSubject(models.Model):
    """A KPI, finance line or workforce measure a risk concerns (`kind:key`)."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="subjects")
    subject = models.CharField(max_length=120, validators=[subjects.validate])

    class Meta:
        ordering = ["risk", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "subject"], name="risk_subject_once")
        ]

    def __str__(self):
        return f"{self.risk}: {self.subject}"


class RiskReview(models.Model):
    """A review of a risk: its rating, mitigations and when it was reviewed. Each is kept."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    mitigations = models.TextField()
    note = models.TextField(blank=True, help_text="What changed since the last review.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["risk", "reviewed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5)
                & models.Q(impact__gte=1, impact__lte=5),
                name="risk_rating_one_to_five",
            )
        ]

    def __str__(self):
        return f"{self.risk} reviewed {self.reviewed_on:%d %b %Y}: {self.score}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def status(self) -> rag.Status:
        return score_status(self.score)
