"""Abstract models the domain apps share."""

from decimal import Decimal

from django.db import models
from django.utils.functional import cached_property

from opb_portal import rag

from .fields import ExactDecimalField


class RagZones(models.Model):
    """
    A green zone and a red zone, each bound inclusive or exclusive; amber is the rest.

    Why only two zones are stored: docs/decisions/0002-amber-is-the-rest.md. Every
    domain's rules keep their thresholds this way, so one evaluator (`opb_portal.rag`)
    rates them alike.
    """

    green_lower = ExactDecimalField(null=True, blank=True)
    green_lower_inclusive = models.BooleanField(default=True)
    green_upper = ExactDecimalField(null=True, blank=True)
    green_upper_inclusive = models.BooleanField(default=True)
    red_below = ExactDecimalField(
        null=True, blank=True, help_text="Red when the value is below this."
    )
    red_below_inclusive = models.BooleanField(default=False, help_text="Also red when equal.")
    red_above = ExactDecimalField(
        null=True, blank=True, help_text="Red when the value is above this."
    )
    red_above_inclusive = models.BooleanField(default=False, help_text="Also red when equal.")

    class Meta:
        abstract = True

    @cached_property
    def bounds(self) -> rag.Bounds:
        return rag.Bounds(
            green_lower=rag.Bound(self.green_lower, self.green_lower_inclusive),
            green_upper=rag.Bound(self.green_upper, self.green_upper_inclusive),
            red_below=rag.Bound(self.red_below, self.red_below_inclusive),
            red_above=rag.Bound(self.red_above, self.red_above_inclusive),
        )

    def evaluate(self, value: Decimal | None) -> rag.Status | None:
        return rag.evaluate(value, self.bounds)


class FromReturn(models.Model):
    """
    A figure an approved return made: `version` is that return version, blank for a
    figure loaded from a published source or from before returns existed.
    """

    version = models.ForeignKey(
        "submissions.ReturnVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class ApprovedFigure(FromReturn):
    """
    A figure the dashboards show that may be a demonstration value: `illustrative`
    marks one the Trust never published, which every page that shows it says so.
    """

    illustrative = models.BooleanField(default=False)

    class Meta:
        abstract = True
