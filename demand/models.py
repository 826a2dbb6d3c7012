"""
Demand measures, their figures, and the comparators they are benchmarked against.

Periods. Every figure is stored against the month it ends in (`period`, the
first day of that month) and a `span`:

- `span=month`: a figure for one month (the monthly foster placements);
- `span=year`: a figure for the financial year ending in that month. Whether
  it is a count at the end (children on a plan "at 31 March") or a total over
  the year (referrals in 2024-25) is the measure's `kind`.

So "at 31 March 2025" and "2024-25" are both stored as March 2025, span year,
and a rate per 10,000 of either uses the child population of 2024-25.

The comparators a measure is benchmarked against (authorities, neighbour groups,
published figures) live in the shared store, `opb_portal.comparators`, by the
measure's code.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models

from opb_portal import formatting, rag
from opb_portal.core.fields import ExactDecimalField, PeriodField
from opb_portal.core.models import ApprovedFigure, RagZones
from opb_portal.core.precision import Precise, decimal_places_field
from opb_portal.reference.models import Polarity, Unit

# The source of a demonstration figure nobody published (a `MeasureValue` is also marked
# `illustrative`; a comparator, which has no such mark, says so by this source).
ILLUSTRATIVE = "Illustrative: a demonstration figure, not published"


def illustrative_source(source: str) -> bool:
    """Whether a comparator's source is the demonstration's illustrative one."""
    return source.startswith(ILLUSTRATIVE.split(":")[0])


class Measure(Precise, RagZones):
    """
    A supporting demand measure: not a contract KPI, so a local target (the zones) is
    optional.
    """

    class Kind(models.TextChoices):
        AT_END = "at_end", "Count at the end of the period"
        TOTAL = "total", "Total over the period"

    class Group(models.TextChoices):
        FRONT_DOOR = "front_door", "Referrals and assessments"
        PROTECTION = "protection", "Child protection"
        CARE = "care", "Children we care for"
        PLACEMENTS = "placements", "Children in care by placement type"
        FOSTERING = "fostering", "Foster carers"

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    group = models.CharField(max_length=20, choices=Group.choices)
    unit = models.CharField(
        max_length=20,
        choices=[(u.value, u.label) for u in (Unit.COUNT, Unit.PERCENT, Unit.RATE_PER_10000)],
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Counts are whole; the re-referral rate is published to one place (22.9%).
    decimal_places = decimal_places_field(default=0)
    # Whether more is good news; blank where it is not (more children in care is neither).
    polarity = models.CharField(max_length=20, choices=Polarity.choices, blank=True)
    per_10000 = models.BooleanField(
        default=False, help_text="Also show a rate per 10,000 children (from the child population)."
    )
    target_applies_to_rate = models.BooleanField(
        default=False, help_text="The target is on the rate per 10,000, not the count."
    )
    # The care leavers' outcomes are counted once a year: the activity return asks for
    # them in March only, and they have no month figures.
    yearly = models.BooleanField(
        default=False,
        help_text="Given once a year, for the year to 31 March: the activity return asks for "
        "it in March only.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        # The admin lists and filters by this: a reader's title, not the code.
        return self.title

    @property
    def has_target(self) -> bool:
        bounds = (self.green_lower, self.green_upper, self.red_below, self.red_above)
        return any(bound is not None for bound in bounds)

    def evaluate(self, value: Decimal | None) -> rag.Status | None:
        """The RAG of a figure against the local target; None when there is no target."""
        if not self.has_target:
            return None
        return super().evaluate(value)

    def describe_target(self) -> str:
        if not self.has_target:
            return ""
        return rag.describe(self.bounds, percent=self.unit == Unit.PERCENT)

    @staticmethod
    def rate(value: Decimal, children: int) -> Decimal:
        """A count per 10,000 children, to one decimal place as published (353 → 40.7)."""
        exact = value / Decimal(children) * 10000
        return exact.quantize(Decimal("0.1"), ROUND_HALF_UP)

    def format_value(self, value: Decimal | None) -> str:
        """The figure as every page, export and pack shows it: at the measure's precision."""
        return formatting.measure(self.at_precision(value), self.unit, self.decimal_places)

    def clean(self):
        if self.has_target:
            if not self.polarity:
                raise ValidationError({"polarity": "A measure with a target needs a polarity."})
            problems = rag.check_shape(self.bounds, self.polarity)
            if problems:
                raise ValidationError(problems)
        if self.per_10000 and self.unit != Unit.COUNT:
            raise ValidationError({"per_10000": "Only a count can be turned into a rate."})
        if self.yearly and self.kind == self.Kind.TOTAL and self.unit == Unit.COUNT:
            raise ValidationError(
                {"yearly": "A count over the year is the sum of its months: give it monthly."}
            )


class MeasureValue(ApprovedFigure):
    """
    One published figure of a measure (see the module docstring for `period` and `span`);
    `illustrative` marks a demonstration figure the Trust never published.
    """

    class Span(models.TextChoices):
        MONTH = "month", "Month"
        YEAR = "year", "Financial year"

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period = PeriodField(help_text="First day of the month the figure ends in.")
    span = models.CharField(max_length=5, choices=Span.choices)
    value = ExactDecimalField()
    # The rate as the source printed it, kept beside the one the portal derives:
    # they differ where the source used another population (ICPC 2024-25: 61.7).
    published_rate = ExactDecimalField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["measure", "span", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "span"], name="one_demand_value_per_period"
            )
        ]

    def __str__(self):
        return f"{self.measure.title}, {self.label}: {self.measure.format_value(self.value)}"

    @property
    def label(self) -> str:
        period = self.period
        if self.span == self.Span.MONTH:
            return period.short
        if self.measure.kind == Measure.Kind.AT_END:
            return f"31 March {period.year}"
        return period.financial_year.label

    def clean(self):
        if self.span == self.Span.YEAR and self.period and self.period.month != 3:
            raise ValidationError({"period": "A year's figure is stored against March."})
        if self.span == self.Span.MONTH and self.measure_id and self.measure.yearly:
            raise ValidationError(
                {"span": f"{self.measure.title} is given once a year: store it as the year's."}
            )
