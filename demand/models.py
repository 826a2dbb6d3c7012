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

Comparators are published per year: `year=2024` means "at March 2024" for a
count at the end of the year and "2023-24" for a total over the year.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal import rag
from opb_portal.core.fields import ExactDecimalField
from opb_portal.core.models import FromReturn, RagZones
from opb_portal.core.precision import Precise, decimal_places_field
from opb_portal.periods import Period
from opb_portal.reference.models import Polarity, Unit


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
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code}: {self.title}"

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
        if value is None:
            return "–"
        value = self.at_precision(value)
        if self.unit == Unit.PERCENT:
            return f"{value}%"
        if self.unit == Unit.COUNT:
            return f"{value:,}"
        return str(value)

    def clean(self):
        if self.has_target:
            if not self.polarity:
                raise ValidationError({"polarity": "A measure with a target needs a polarity."})
            problems = rag.check_shape(self.bounds, self.polarity)
            if problems:
                raise ValidationError(problems)
        if self.per_10000 and self.unit != Unit.COUNT:
            raise ValidationError({"per_10000": "Only a count can be turned into a rate."})


class MeasureValue(FromReturn):
    """One published figure of a measure (see the module docstring for `period` and `span`)."""

    class Span(models.TextChoices):
        MONTH = "month", "Month"
        YEAR = "year", "Financial year"

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period = models.DateField(help_text="First day of the month the figure ends in.")
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
        return f"{self.measure.code} {self.label}: {self.value}"

    @property
    def reporting_period(self) -> Period:
        return Period.from_date(self.period)

    @property
    def label(self) -> str:
        period = self.reporting_period
        if self.span == self.Span.MONTH:
            return period.short
        if self.measure.kind == Measure.Kind.AT_END:
            return f"31 March {period.year}"
        return period.financial_year.label

    def clean(self):
        if self.period and self.period.day != 1:
            raise ValidationError({"period": "A figure is stored against the first of a month."})
        if self.span == self.Span.YEAR and self.period and self.period.month != 3:
            raise ValidationError({"period": "A year's figure is stored against March."})


class Authority(models.Model):
    """A local authority, a region or England: anything a measure is benchmarked against."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        REGION = "region", "Region"
        ENGLAND = "england", "England"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=12, blank=True, help_text="ONS code, for example E08000028.")
    region = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "authorities"

    def __str__(self):
        return self.name


class NeighbourGroup(models.Model):
    """The statistical neighbours of Sandwell between two dates (the LIAT group)."""

    name = models.CharField(max_length=100)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    members = models.ManyToManyField(Authority, related_name="neighbour_groups")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["effective_from"]

    def __str__(self):
        return self.name

    def covers(self, day: datetime.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )

    def clean(self):
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "The group ends before it starts."})


class ComparatorValue(models.Model):
    """One authority's published figure for a measure (or a KPI, by its code) in a year."""

    code = models.CharField(max_length=40, help_text="A demand measure's code or a KPI's code.")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(
        help_text="At March of this year, or the financial year ending then."
    )
    value = ExactDecimalField()
    source = models.CharField(max_length=200, blank=True)
    # The import (or typed entry) that last set the figure; blank for one loaded by
    # the code (the demonstration's published figures). Its history says what it was.
    comparator_import = models.ForeignKey(
        "ComparatorImport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "year", "authority"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "authority", "year"], name="one_comparator_value_per_year"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.authority} {self.year}: {self.value}"


class PublishedAverage(models.Model):
    """
    A statistical-neighbour average as the source printed it.

    Kept beside the mean the portal computes from the members' own figures, so
    a difference between the two is shown rather than hidden.
    """

    # How a comparator file or the typed form names it in place of an authority.
    LABEL = "Statistical neighbour average"

    code = models.CharField(max_length=40)
    group = models.ForeignKey(NeighbourGroup, on_delete=models.PROTECT, related_name="averages")
    year = models.PositiveSmallIntegerField()
    value = ExactDecimalField()
    source = models.CharField(max_length=200, blank=True)
    comparator_import = models.ForeignKey(
        "ComparatorImport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "group", "year"], name="one_published_average_per_year"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.group} {self.year}: {self.value}"


class ComparatorImport(models.Model):
    """
    One change an administrator made to the comparators: a file imported, or one typed figure.

    Comparators decide how Sandwell is ranked, so every change answers who, when,
    from which file (kept, with its SHA-256) and what each figure was before
    (`ComparatorChange`): nothing is changed silently.
    """

    class Source(models.TextChoices):
        FILE = "file", "Imported file"
        FORM = "form", "Typed"

    source = models.CharField(max_length=10, choices=Source.choices)
    filename = models.CharField(max_length=255, blank=True)
    upload = models.ForeignKey(
        "submissions.UploadedFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sha256 = models.CharField(max_length=64, blank=True)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        what = self.filename or self.get_source_display()
        return f"{what} by {self.user} ({self.added} added, {self.changed} changed)"


class ComparatorChange(models.Model):
    """
    One figure an import added or changed, with what it was before.

    Either an authority's figure (`authority`) or a published neighbour average
    (`group`). `old_value` is blank for a figure the import added.
    """

    comparator_import = models.ForeignKey(
        ComparatorImport, on_delete=models.PROTECT, related_name="changes"
    )
    code = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        NeighbourGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    old_value = ExactDecimalField(null=True, blank=True)
    new_value = ExactDecimalField()
    old_source = models.CharField(max_length=200, blank=True)
    new_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["comparator_import", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(authority__isnull=False, group__isnull=True)
                | models.Q(authority__isnull=True, group__isnull=False),
                name="comparator_change_is_for_an_authority_or_an_average",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.about} {self.year}: {self.old_value} -> {self.new_value}"

    @property
    def about(self) -> str:
        if self.authority_id:
            return self.authority.name
        return f"{PublishedAverage.LABEL} ({self.group.name})"

    @property
    def added(self) -> bool:
        return self.old_value is None
