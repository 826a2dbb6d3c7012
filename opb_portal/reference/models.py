"""
What two or more domains share and none owns: how a measure is counted and which way is
better, and the child population that turns counts into rates per 10,000.

`ChildPopulation` was `kpis.ChildPopulation` until issue 13; its rows moved with it
(migrations/0001 and 0002 take over the table, then rename it).
"""

from __future__ import annotations

from django.db import models


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000 children"
    COUNT = "count", "Count"
    RATIO = "ratio", "Ratio"

    @property
    def usual_places(self) -> int:
        """The decimal places figures of this unit are usually published with.

        A starting point for a new measure's `decimal_places` only: the measure's own
        field is what counts (PI5, PI12 and PI13 of 2024 are published to two places).
        """
        return {"percent": 1, "rate_per_10000": 1, "count": 0, "ratio": 2}[self.value]


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    BAND = "band", "Within a band"


class ChildPopulation(models.Model):
    """The 0-17 population of a financial year: the denominator of every rate per 10,000."""

    financial_year_start = models.PositiveSmallIntegerField(unique=True)
    children = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.financial_year_start}: {self.children:,} children"
