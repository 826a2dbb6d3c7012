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
from opb_portal.reference.models import Polarity, Unit

# The first year a comparator may describe; a benchmark page's year starts here too.
FIRST_YEAR = 2010


class YearBasis(models.TextChoices):
    AT_MARCH = "at_march", "At March"
    FINANCIAL_YEAR = "financial_year", "Financial year to March"
    # The children's social work workforce census counts at 30 September.
    AT_SEPTEMBER = "at_september", "At 30 September"
    # An academic year (2023/24) ends in August: `year=2024`.
    ACADEMIC_YEAR = "academic_year", "Academic year to August"

    @classmethod
    def describe(cls, year: int, basis: str) -> str:
        """How a figure's year is written: "March 2024", "2023-24" for the year to then,
        "September 2024", or "2023/24 academic year"."""
        if basis == cls.FINANCIAL_YEAR:
            return FinancialYear(year - 1).label
        if basis == cls.AT_SEPTEMBER:
            return f"September {year}"
        if basis == cls.ACADEMIC_YEAR:
            return f"{year - 1}/{str(year)[-2:]} academic year"
        return f"March {year}"

    @classmethod
    def last_day(cls, year: int, basis: str) -> datetime.date:
        """The day a figure of `year` describes, or the last day of the span it covers: the
        day whose statistical neighbour group it is compared with."""
        if basis == cls.AT_SEPTEMBER:
            return datetime.date(year, 9, 30)
        if basis == cls.ACADEMIC_YEAR:
            return datetime.date(year, 8, 31)
        return datetime.date(year, 3, 31)


class Symbol(models.TextChoices):
    """
    What a publisher prints in place of a figure, kept as its reason and never as a number
    (the DfE's and ONS's symbols). A suppressed neighbour is "not published" in an
    average's "n of 10", never a zero. A blank cell is no figure at all, and not stored.
    """

    CONFIDENTIAL = "c", "Confidential (suppressed)"
    NOT_AVAILABLE = "x", "Not available"
    NOT_APPLICABLE = "z", "Not applicable"
    LOW = "low", "Rounds to 0, but not 0"
    LOW_RELIABILITY = "u", "Low reliability"
    NOT_COLLECTED = ":", "Not available (not collected)"


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

    # Not unique: a name may be reused by a new authority (Dorset, a county to March 2019
    # and a unitary authority since). The ONS code is what tells authorities apart.
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(
        max_length=12,
        blank=True,
        help_text="ONS code, for example E08000028 (E92000001 for England, E12... for a region).",
    )
    la_code = models.CharField(
        max_length=3,
        blank=True,
        verbose_name="DfE LA code",
        help_text="The DfE's three-digit local authority code (old_la_code), for example 333.",
    )
    region = models.CharField(max_length=60, blank=True)
    # The dates it existed as a children's services authority; blank for always.
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)
    replaced_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaces",
        help_text="The authorities that took over from this one in a reorganisation (Cumbria: "
        "Cumberland, and Westmorland and Furness, from April 2023). Their series are not "
        "joined: each is its own.",
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="one_authority_per_ons_code"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": "The authority ends before it starts."})


class FormerCode(models.Model):
    """
    An ONS code an authority was published under before its code changed with no change
    to what it is (Gateshead's E08000020 to March 2014, North Yorkshire's E10000023 to
    March 2023): a figure under it belongs to the same series. A reorganisation is not a
    former code: the new authorities are new (`Authority.replaced_by`).
    """

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="former_codes")
    code = models.CharField(max_length=12, unique=True)
    until = models.DateField(null=True, blank=True, help_text="The last day the code was used.")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} ({self.authority})"


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
    # No value where the publisher printed a symbol instead (`symbol` says which).
    value = ExactDecimalField(null=True, blank=True)
    symbol = models.CharField(max_length=4, choices=Symbol.choices, blank=True)
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
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, symbol="")
                | models.Q(value__isnull=True) & ~models.Q(symbol=""),
                name="comparator_value_is_a_number_or_a_symbol",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.authority} {self.year}: {self.shown_raw}"

    @property
    def shown_raw(self) -> str:
        """The value, or the symbol printed in its place."""
        return str(self.value) if self.value is not None else self.symbol

    @property
    def published(self) -> bool:
        """A number was published (not a symbol)."""
        return self.value is not None

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
        STATISTICS = "statistics", "Published statistics"

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
    # A published statistics file: the publication it is a release of, and when it was
    # published, which a benchmark page quotes ("published 14 November 2024").
    publication = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # What the preview summarised, kept for the import's page: by measure and year, the
    # figures added, changed and unchanged, and the rows read at each geographic level.
    summary = models.JSONField(default=dict, blank=True)
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
    # Blank where the new release printed a symbol (`new_symbol`) instead.
    new_value = ExactDecimalField(null=True, blank=True)
    old_symbol = models.CharField(max_length=4, choices=Symbol.choices, blank=True)
    new_symbol = models.CharField(max_length=4, choices=Symbol.choices, blank=True)
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
        return self.old_value is None and not self.old_symbol


class PublishedMeasure(models.Model):
    """
    Which column of which published file is which measure: data, kept here and edited by
    an administrator, not code. A statistics file's row is a figure of `code` when its
    filter columns hold `filters` (`{"population_count": "Children looked after at 31
    March each year"}`); the figure is in column `indicator` (`rate_per_10000`).

    `code` is a demand measure's or a KPI's code where the portal has a counterpart, or a
    code of its own (`cla_placed_foster_pct`) for a published statistic the portal only
    benchmarks.
    """

    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    publication = models.CharField(
        max_length=200, help_text="Children looked after in England including adoptions."
    )
    # How a page cites it: "DfE, children looked after".
    cited_as = models.CharField(max_length=100)
    file_pattern = models.CharField(
        max_length=200,
        help_text="The file names it is read from, with * for any text: cla_number_and_rate*.csv. "
        "Not case-sensitive.",
    )
    time_identifier = models.CharField(
        max_length=40,
        default="Reporting year",
        help_text="The time_identifier of its rows: Reporting year, Financial year, Academic year.",
    )
    year_basis = _year_basis_field()
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text="The filter columns and the values a row of this measure holds: "
        '{"population_count": "Children looked after at 31 March each year"}.',
    )
    indicator = models.CharField(max_length=100, help_text="The column holding the figure.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(
        max_length=20,
        choices=Polarity.choices,
        blank=True,
        help_text="Which way is better, for quartile bands. Blank: neither.",
    )
    # A KPI's code names another KPI in an earlier framework (PI12 was the looked-after
    # reviews KPI until March 2024, the vacancy rate since): a file's years before the
    # framework are not stored under it, or the earlier KPI's pages would show them.
    first_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The first year whose figures are stored under the code; blank for every "
        "year. Set it where the code meant something else before (a KPI code of a new "
        "framework).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["publication", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "file_pattern"], name="one_published_measure_per_file_pattern"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def clean(self):
        if not isinstance(self.filters, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.filters.items()
        ):
            raise ValidationError(
                {"filters": "Give the filters as column names and the text each must hold."}
            )
