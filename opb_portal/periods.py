"""
Reporting periods and financial years.

A reporting period is a calendar month. The contract's financial year runs
April to March, so "2024-25" is April 2024 to March 2025 and March 2025 is
month 12 of it. Periods are stored in the database as the first day of the
month (`core.fields.PeriodField`, a date column that code sees as a `Period`),
and written `2025-03` in URLs and the API, `Mar-25` in tables and `March 2025`
in headings. `in_force` chooses, of rows versioned by month, the one in force.
"""

from __future__ import annotations

import calendar
import datetime
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

Row = TypeVar("Row")

MONTH_ABBRS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}

# The ways people write a month in a heading or a cell. A date written as text is read
# in UK order (day, month, year): 01/04/2025 is 1 April 2025, and the month is April.
_ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")  # 2025-03, 2025/07
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")  # 07/2025
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_YMD = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")  # 2025/03/01
_UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")  # 01/04/2025, 1.4.25
# Sep-25, Sept 2025, September 2025, Sep. '25, Apr25
_NAMED = re.compile(r"([A-Za-z]{3,9})\.?[\s\-/']*(\d{4}|\d{2})")
# 1-Apr-25, 01 April 2025 (how Excel writes a d-mmm-yy date cell into a CSV)
_DAY_NAMED = re.compile(r"(\d{1,2})[\s\-/]+([A-Za-z]{3,9})\.?[\s\-/]+(\d{4}|\d{2})")
ACCEPTED = "write it as 2025-03, Mar-25 or March 2025"


class PeriodError(ValueError):
    """A text that is not a month in any of the formats the portal accepts."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise PeriodError(f"{self.year}-{self.month:02d} is not a real month: {ACCEPTED}")

    # --- constructing -------------------------------------------------------
    @classmethod
    def parse(cls, text: str | datetime.date) -> Period:
        """Read a month as people write it, or raise `PeriodError`.

        `2025-03`, `2025/07`, `07/2025`, `Mar-25`, `Sep-25`, `Sept 2025`, `March 2025`,
        `March-25`; a date, or a date written as text (`01/04/2025` in UK order,
        `2025-04-30`, `1-Apr-25`), gives its month. See `read_month` for the day.
        """
        return read_month(text)[0]

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


def _named_month(name: str) -> int | None:
    """January, Jan or Sept (as the UK writes September short), any case; else None."""
    name = name.lower()
    if name in MONTH_NAMES:
        return MONTH_NAMES[name]
    if name == "sept":
        return 9
    return MONTH_ABBRS.get(name) if len(name) == 3 else None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _dated(year: int, month: int, day: int, text: str) -> tuple[Period, int]:
    try:
        datetime.date(year, month, day)
    except ValueError as error:
        raise PeriodError(f"{text!r} is not a real date: {ACCEPTED}") from error
    return Period(year, month), day


def read_month(value: str | datetime.date) -> tuple[Period, int | None]:
    """The month `value` names and, when it names a whole date, its day (else None).

    The day tells a month heading written as a date (the 1st, or a month end) from a
    date that is data, such as a date of birth: see `spreadsheets.layouts`.
    """
    if isinstance(value, datetime.date):
        return Period.from_date(value), value.day
    text = str(value).strip()
    if match := _ISO.fullmatch(text):
        return Period(int(match[1]), int(match[2])), None
    if match := _MONTH_YEAR.fullmatch(text):
        return Period(int(match[2]), int(match[1])), None
    if match := _ISO_DATE.fullmatch(text) or _YMD.fullmatch(text):
        return _dated(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _UK_DATE.fullmatch(text):
        return _dated(_year(match[3]), int(match[2]), int(match[1]), text)
    if (match := _NAMED.fullmatch(text)) and (month := _named_month(match[1])):
        return Period(_year(match[2]), month), None
    if (match := _DAY_NAMED.fullmatch(text)) and (month := _named_month(match[2])):
        return _dated(_year(match[3]), month, int(match[1]), text)
    raise PeriodError(f"{text!r} is not a month: {ACCEPTED}")


def in_force(rows: Iterable[Row], period: Period, *, field: str = "effective_from") -> Row | None:
    """
    Of rows that each take effect from a month (`field`, a `PeriodField`), the one in force
    in `period`: the latest that has started by then; None before the first.

    Every rule, model and definition versioned by month is chosen this way (KPI thresholds,
    workforce rules, caseload models): a revision is a new row from a later month, and
    earlier months keep what was in force then. The rows are already fetched, so a page
    choosing for many months asks the database once.
    """
    started = [row for row in rows if getattr(row, field) <= period]
    return max(started, key=attrgetter(field), default=None)


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


def schedule(
    rows: Iterable[Row], *, field: str = "effective_from"
) -> Callable[[Period], Row | None]:
    """
    `in_force` for many months: the rows put in date order once, then each month's row
    found by bisection (`schedule(rules)(period)` is `in_force(rules, period)`).

    A page rating every month of a history asks this of each month; searching every
    row for each month made its time grow with the rows and the months together.
    """
    ordered = sorted(rows, key=attrgetter(field))
    starts = [getattr(row, field) for row in ordered]

    def at(period: Period) -> Row | None:
        found = bisect_right(starts, period)
        return ordered[found - 1] if found else None

    return at
