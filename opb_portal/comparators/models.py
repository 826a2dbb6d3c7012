"""
The one store of published comparator figures: who publishes them, which authorities
are Sandwell's statistical neighbours when, and each figure with its history.

A figure belongs to a code: a demand measure's (`children_in_care`) or a KPI's
(`PI4`). The store does not know which: each domain reads its own codes through
`selectors`, and says which codes it has through `registry`.

Years. Comparators are published per year: `year=2024` means "at March 2024" for a
count at the end of the year and "2023-24" for a total over the year. `year_basis`
says how the publication words it, so a page quotes it as published ("2023-24" for
the DfE's year-to-March tables, "March 2024" for a count at the year's end).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core.fields import ExactDecimalField
from opb_portal.periods import FinancialYear

# The first year a comparator may describe; a benchmark page's year starts here too.
FIRST_YEAR = 2010


class YearBasis(models.TextChoices):
    AT_MARCH = "at_march", "At March"
    FINANCIAL_YEAR = "financial_year", "Financial year to March"

    @classmethod
    def describe(cls, year: int, basis: str) -> str:
        """How a figure's year is written: "March 2024", or "2023-24" for the year to then."""
        if basis == cls.FINANCIAL_YEAR:
            return FinancialYear(year - 1).label
        return f"March {year}"


def _year_basis_field():
    return models.CharField(
        max_length=20,
        choices=YearBasis.choices,
        default=YearBasis.AT_MARCH,
        help_text="How the publication words the year: at March, or the financial year to then.",
    )


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
    year_basis = _year_basis_field()
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

    @property
    def refers_to(self) -> str:
        return YearBasis.describe(self.year, self.year_basis)


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
    year_basis = _year_basis_field()
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

    @property
    def refers_to(self) -> str:
        return YearBasis.describe(self.year, self.year_basis)


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
