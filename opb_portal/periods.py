"""
Reporting periods and financial years.

A reporting period is a calendar month. The contract's financial year runs
April to March, so "2024-25" is April 2024 to March 2025 and March 2025 is
month 12 of it. Periods are stored in the database as the first day of the
month (a DateField), and written `2025-03` in URLs and the API, `Mar-25` in
tables and `March 2025` in headings.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

MONTH_ABBRS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_ABBR = re.compile(r"^\s*([A-Za-z]{3,9})[-\s/](\d{2}|\d{4})\s*$")


class PeriodError(ValueError):
    """A text that is not a month in any of the formats the portal accepts."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise PeriodError(
                f"{self.year}-{self.month:02d} is not a real month: "
                "write it as 2025-03, Mar-25 or March 2025"
            )

    # --- constructing -------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `2025-03`, `Mar-25`, `Mar 2025`, `March 2025` or `March-25`."""
        if isinstance(text, datetime.date):
            return cls.from_date(text)
        text = str(text).strip()
        if match := _ISO.match(text):
            return cls(int(match[1]), int(match[2]))
        if match := _ABBR.match(text):
            name, year = match[1].lower(), match[2]
            month = MONTH_ABBRS.get(name) or MONTH_NAMES.get(name)
            if month and (len(name) == 3 or name in MONTH_NAMES):
                return cls(2000 + int(year) if len(year) == 2 else int(year), month)
        raise PeriodError(f"{text!r} is not a month: write it as 2025-03, Mar-25 or March 2025")

    @classmethod
    def from_date(cls, value: datetime.date) -> Period:
        return cls(value.year, value.month)

    @classmethod
    def current(cls) -> Period:
        return cls.from_date(datetime.date.today())

    # --- arithmetic ---------------------------------------------------------
    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def months_since(self, other: Period) -> int:
        """How many months `self` is after `other` (negative if before)."""
        return (self.year - other.year) * 12 + (self.month - other.month)

    def last_n(self, n: int) -> list[Period]:
        """The n months ending with this one, oldest first."""
        return [self.shift(-i) for i in range(n - 1, -1, -1)]

    # --- financial year -----------------------------------------------------
    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year if self.month >= 4 else self.year - 1)

    @property
    def month_of_year(self) -> int:
        """1 for April ... 12 for March."""
        return (self.month - 4) % 12 + 1

    # --- formatting ---------------------------------------------------------
    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def iso(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def short(self) -> str:
        return f"{calendar.month_abbr[self.month]}-{self.year % 100:02d}"

    @property
    def long(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, order=True)
class FinancialYear:
    """April of `start_year` to March of the year after."""

    start_year: int

    _LABEL = re.compile(r"^\s*(\d{4})[-/](\d{2}|\d{4})\s*$")

    def __post_init__(self):
        # Both its months must be real months, or a link to "the year before" runs off the calendar.
        if not 1900 <= self.start_year <= 2998:
            raise PeriodError(f"{self.label} is not a financial year the portal can hold")

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read `2024-25` (or `2024/25`, `2024-2025`)."""
        match = cls._LABEL.match(str(text))
        if match:
            start, end = int(match[1]), int(match[2])
            if end % 100 == (start + 1) % 100 and (end < 100 or end == start + 1):
                return cls(start)
        raise PeriodError(f"{text!r} is not a financial year: write it as 2024-25")

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first(self) -> Period:
        return Period(self.start_year, 4)

    @property
    def last(self) -> Period:
        return Period(self.start_year + 1, 3)

    def months(self) -> list[Period]:
        return [self.first.shift(i) for i in range(12)]

    def __str__(self) -> str:
        return self.label
