"""
Which rows of a published file are which figures: the `PublishedMeasure` mappings applied
to an EES file as it streams past, keeping only the figures they select.

A mapping applies to a file when both hold:
- the file's name matches its `file_pattern` (a glob, not case-sensitive:
  `cla_number_and_rate*.csv` reads `CLA_number_and_rate_per_10k_children (1).csv`), and
- the file's header has its indicator column and every one of its filter columns.
A mapping whose pattern matches but whose columns are missing is reported in the preview
("not read: no column rate_per_10000"), not an error: one pattern may cover several tables.
A file no mapping applies to is refused, naming the patterns and columns expected.

A row is a mapping's figure when each of the mapping's filter columns holds its value
(compared without regard to case or surrounding spaces). Then:

- its `time_identifier` must be the mapping's ("Reporting year"), else it is a problem;
- its `time_period` is a year: `2023` is year 2023, `202324` (2023-24, a financial or
  academic year) is 2024, the year it ends in; the mapping's `year_basis` says what the year
  means ("2023: at 31 March 2023"), and the preview says it for each period;
- its indicator cell is a number, a symbol (`c`, `x`, `z`, `low`, `u`, `:`: kept as its
  `Symbol`, never as a number) or blank (no figure: nothing stored, and a stored figure is
  left as it is; the preview counts blanks). Numbers are read as the DfE's files write them:
  `1,234` with thousands separators, and doubles that pandas wrote with their float noise.

Float noise. pandas writes some figures with 17 significant digits (`94.000000000000014`,
`70.199999999999989`): a double one step from the figure the publisher computed. Such a
number (16 or more significant digits) is rounded to the fewest places, up to its unit's
usual places (`Unit.usual_places`: 1 for a rate or percentage, 0 for a count), that are
within 4 units in the last place of the double: `94.000000000000014` is stored as 94 and
`70.199999999999989` as 70.2. A number with as many digits that is not within that of a
figure of those places (`12.345678901234567`) is not noise and is stored as published.

Anything else (`abc`, `12%`, a year that is not one) is a problem naming the file, the row,
the column and what was expected; a figure given twice is one too. Nothing is stored when
there is any problem (`services`).
"""

from __future__ import annotations

import datetime
import fnmatch
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from openpyxl.utils import get_column_letter

from opb_portal.reference.models import Unit
from opb_portal.spreadsheets.problems import ERROR, Problem, ProblemList

from ..models import FIRST_YEAR, PublishedMeasure, Symbol, YearBasis
from .reader import LEVELS, LOCAL_AUTHORITY, NATIONAL, REGIONAL, EesFile, open_ees

SYMBOLS = {symbol.value for symbol in Symbol}
SYMBOLS_IN_WORDS = ", ".join(sorted(SYMBOLS - {":"})) + " or :"
# 1,234 and 1,234,567.5: the thousands separators a quoted figure may have.
_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_YEAR = re.compile(r"(\d{4})(\d{2})?")
# Significant digits from which a number is a double written with its noise: no publisher
# rounds to 16 digits, and a double holds 15 to 17.
NOISY_DIGITS = 16
NOISE_ULPS = 4
# ONS codes: E92000001 England, E12... a region, E06/E08/E09/E10 an authority.
ONS_CODE = re.compile(r"[EWSN]\d{8}")
LA_CODE = re.compile(r"\d{3}")
ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"


@dataclass(frozen=True)
class Place:
    """An authority as a file's row names it: by level and ONS code, never by name."""

    level: str
    code: str
    name: str
    la_code: str = ""
    region: str = ""


@dataclass(frozen=True)
class Figure:
    """One selected figure: a number or a symbol for a code, a place and a year."""

    measure: PublishedMeasure
    place: Place
    year: int
    value: Decimal | None
    symbol: str
    row: int

    @property
    def code(self) -> str:
        return self.measure.code


@dataclass
class Period:
    """A time_period of the file and what it is stored as."""

    time_period: str
    time_identifier: str
    year: int
    year_basis: str

    @property
    def meaning(self) -> str:
        """ "2023 (Reporting year): stored as 2023, at 31 March 2023"."""
        last = YearBasis.last_day(self.year, self.year_basis)
        label = YearBasis.describe(self.year, self.year_basis)
        span = (
            f"the year to {last.day} {last:%B %Y}"
            if self.year_basis in (YearBasis.FINANCIAL_YEAR, YearBasis.ACADEMIC_YEAR)
            else f"at {last.day} {last:%B %Y}"
        )
        return f"{self.time_period} ({self.time_identifier}): {label}, {span}"


@dataclass
class Matcher:
    """A mapping ready for rows: its columns' positions and its filters' folded values."""

    measure: PublishedMeasure
    indicator: int
    filters: list[tuple[int, str]]
    places: int

    def selects(self, cells: list[str]) -> bool:
        return all(_folded(cells[position]) == value for position, value in self.filters)


@dataclass
class Reading:
    """What a file's rows gave: the figures selected, and everything a preview counts."""

    filename: str
    measures: list[PublishedMeasure] = field(default_factory=list)
    not_read: list[dict] = field(default_factory=list)  # mappings whose columns are missing
    figures: list[Figure] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    rows: int = 0
    levels: Counter = field(default_factory=Counter)  # rows at each geographic level
    skipped: int = 0  # rows at a level read, but selected by no mapping
    blanks: Counter = field(default_factory=Counter)  # (code, year): blank cells
    # code: figures of years before its mapping's `first_year`, not read
    too_early: Counter = field(default_factory=Counter)
    periods: dict[tuple[str, str, str], Period] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def applicable(
    filename: str, header: dict[str, int], measures: Iterable[PublishedMeasure]
) -> tuple[list[Matcher], list[dict]]:
    """The mappings that read this file, and those whose pattern matches but columns lack."""
    matchers, not_read = [], []
    name = filename.casefold()
    for measure in measures:
        if not fnmatch.fnmatchcase(name, measure.file_pattern.casefold()):
            continue
        wanted = [measure.indicator, *measure.filters]
        missing = [column for column in wanted if column not in header]
        if missing:
            not_read.append({"code": measure.code, "title": measure.title, "missing": missing})
            continue
        matchers.append(
            Matcher(
                measure=measure,
                indicator=header[measure.indicator],
                filters=[(header[c], _folded(v)) for c, v in measure.filters.items()],
                places=Unit(measure.unit).usual_places,
            )
        )
    return matchers, not_read


def read_figures(
    source: bytes | BinaryIO,
    *,
    filename: str,
    measures: Iterable[PublishedMeasure] | None = None,
    today: datetime.date | None = None,
) -> Reading:
    """
    Every figure the active mappings select from a file, with the file's counts, or its
    problems. Raises `SpreadsheetRejected` for a file that is not an EES CSV at all.
    """
    if measures is None:
        measures = PublishedMeasure.objects.filter(active=True).order_by("code", "pk")
    measures = list(measures)
    ees = open_ees(source, filename=filename)
    reading = Reading(filename=filename)
    matchers, reading.not_read = applicable(filename, ees.columns, measures)
    reading.measures = [matcher.measure for matcher in matchers]
    if not matchers:
        reading.problems.append(_no_mapping(ees, measures, reading.not_read))
        reading.problems = reading.problems.finished(file=filename)
        return reading
    _read_rows(ees, matchers, reading, last_year=(today or datetime.date.today()).year + 1)
    reading.problems = reading.problems.finished(file=filename)
    return reading


def _no_mapping(ees: EesFile, measures: list[PublishedMeasure], not_read: list[dict]) -> Problem:
    if not_read:
        said = "; ".join(f"{n['code']} needs {', '.join(n['missing'])}" for n in not_read[:5])
        message = (
            f"{ees.filename} matches the file pattern of published measures, but has none of "
            f"the columns they read ({said}): check it is the table the mapping describes, or "
            "have an administrator correct the mapping (Administration, Published measures)."
        )
    else:
        patterns = sorted({m.file_pattern for m in measures})
        listed = ", ".join(patterns[:10]) + (
            f" and {len(patterns) - 10} more" if len(patterns) > 10 else ""
        )
        message = (
            f"No published measure is read from a file called {ees.filename}: expected a name "
            f"matching one of {listed or 'the mappings (there are none yet)'}. Import the file "
            "under its name as downloaded, or have an administrator add a mapping "
            "(Administration, Published measures)."
        )
    return Problem(severity=ERROR, message=message, file=ees.filename)


def _read_rows(ees: EesFile, matchers: list[Matcher], reading: Reading, *, last_year: int) -> None:
    columns = ees.columns
    at = {name: columns[name] for name in columns}
    level_at, period_at, identifier_at = (
        at["geographic_level"],
        at["time_period"],
        at["time_identifier"],
    )
    years: dict[str, int | None] = {}  # time_period -> year, read once
    places: dict[tuple, Place | Problem] = {}
    seen: dict[tuple[str, str, str, int], int] = {}
    problems = reading.problems
    filename = ees.filename

    def problem(number: int, column: str, message: str, *, code: str = "", period: str = ""):
        position = columns.get(column)
        cell = f"{get_column_letter(position + 1)}{number}" if position is not None else ""
        problems.append(
            Problem(
                severity=ERROR,
                message=f"Row {number:,}, column {column}: {message}",
                file=filename,
                cell=cell,
                measure=code,
                period=period,
                field=column,
            )
        )

    for number, cells in ees.rows():
        reading.rows += 1
        level = cells[level_at].strip()
        reading.levels[level] += 1
        if level not in LEVELS:
            continue
        chosen = [matcher for matcher in matchers if matcher.selects(cells)]
        if not chosen:
            reading.skipped += 1
            continue
        time_period = cells[period_at].strip()
        identifier = cells[identifier_at].strip()
        place = _place(cells, at, level, places)
        if isinstance(place, tuple):
            problem(number, place[0], place[1], period=time_period)
            continue
        if time_period not in years:
            years[time_period] = _year(time_period)
        year = years[time_period]
        for matcher in chosen:
            measure = matcher.measure
            if _folded(identifier) != _folded(measure.time_identifier):
                problem(
                    number,
                    "time_identifier",
                    f"{identifier or 'a blank'!r} is not the time identifier {measure.code} is "
                    f"read from: expected {measure.time_identifier!r} (the mapping's; an "
                    "administrator can change it).",
                    code=measure.code,
                    period=time_period,
                )
                continue
            if year is None or not FIRST_YEAR <= year <= last_year:
                problem(
                    number,
                    "time_period",
                    f"{time_period or 'a blank'!r} is not a year: expected a year from "
                    f"{FIRST_YEAR} to {last_year} as EES writes it, such as 2023 (a reporting "
                    "year) or 202324 (2023-24).",
                    code=measure.code,
                    period=time_period,
                )
                continue
            if measure.first_year and year < measure.first_year:
                reading.too_early[measure.code] += 1
                continue
            key = (measure.time_identifier, time_period, measure.year_basis)
            if key not in reading.periods:
                reading.periods[key] = Period(time_period, identifier, year, measure.year_basis)
            text = cells[matcher.indicator]
            parsed = _figure(text, matcher.places)
            if isinstance(parsed, str):
                problem(number, measure.indicator, parsed, code=measure.code, period=time_period)
                continue
            if parsed is None:
                reading.blanks[(measure.code, year)] += 1
                continue
            figure_key = (measure.code, level, place.code, year)
            first = seen.get(figure_key)
            if first is not None:
                problem(
                    number,
                    measure.indicator,
                    f"{measure.code} for {place.name} ({place.code}) in {time_period} is given "
                    f"twice (also at row {first:,}): a mapping's filters must pick one row; "
                    "have an administrator add the filter that tells them apart.",
                    code=measure.code,
                    period=time_period,
                )
                continue
            seen[figure_key] = number
            value, symbol = parsed
            reading.figures.append(
                Figure(
                    measure=measure, place=place, year=year, value=value, symbol=symbol, row=number
                )
            )


def _place(
    cells: list[str], at: dict[str, int], level: str, places: dict
) -> Place | tuple[str, str]:
    """The row's place, or (column, message) when its code is missing or not an ONS code."""
    if level == NATIONAL:
        key = (level, cells[at["country_code"]].strip())
    elif level == REGIONAL:
        key = (level, cells[at["region_code"]].strip())
    else:
        key = (level, cells[at["new_la_code"]].strip(), cells[at["old_la_code"]].strip())
    found = places.get(key)
    if found is not None:
        return found
    found = _new_place(cells, at, level)
    places[key] = found
    return found


def _new_place(cells: list[str], at: dict[str, int], level: str) -> Place | tuple[str, str]:
    def text(name: str) -> str:
        return " ".join(cells[at[name]].split())

    if level == NATIONAL:
        code = text("country_code") or ENGLAND_CODE
        if code != ENGLAND_CODE:
            return (
                "country_code",
                f"{code!r} is not England's code: the portal compares with England "
                f"({ENGLAND_CODE}) only.",
            )
        return Place(NATIONAL, ENGLAND_CODE, ENGLAND_NAME)
    if level == REGIONAL:
        code = text("region_code")
        if not ONS_CODE.fullmatch(code):
            return (
                "region_code",
                f"{code or 'a blank'!r} is not a region's ONS code: expected a code such as "
                "E12000005 (every Regional row has one).",
            )
        return Place(REGIONAL, code, text("region_name") or code)
    code, la_code = text("new_la_code"), text("old_la_code")
    if not ONS_CODE.fullmatch(code):
        return (
            "new_la_code",
            f"{code or 'a blank'!r} is not an authority's ONS code: expected a code such as "
            "E08000028 (every Local authority row has one; authorities are matched by it, "
            "never by name).",
        )
    if la_code and not LA_CODE.fullmatch(la_code):
        return (
            "old_la_code",
            f"{la_code!r} is not a DfE LA code: expected three digits, such as 333.",
        )
    return Place(LOCAL_AUTHORITY, code, text("la_name") or code, la_code, text("region_name"))


def _year(text: str) -> int | None:
    """`2023` -> 2023; `202324` (2023-24) -> 2024, the year it ends in; else None."""
    match = _YEAR.fullmatch(text)
    if match is None:
        return None
    start = int(match[1])
    if match[2] is None:
        return start
    return start + 1 if (start + 1) % 100 == int(match[2]) else None


def _figure(text: str, places: int) -> tuple[Decimal | None, str] | str | None:
    """(value, symbol) of a cell, None for a blank, or a message saying what was expected."""
    text = text.strip()
    if not text:
        return None
    if text.casefold() in SYMBOLS:
        return None, text.casefold()
    number = text.replace(",", "") if _THOUSANDS.fullmatch(text) else text
    if _NUMBER.fullmatch(number):
        try:
            return denoised(Decimal(number), places), ""
        except InvalidOperation:
            pass
    shown = text if len(text) <= 40 else text[:40] + "…"
    return (
        f"{shown!r} is not a figure: expected a number (such as 94.2 or 1,234) or one of the "
        f"symbols {SYMBOLS_IN_WORDS}, or a blank for none."
    )


def denoised(number: Decimal, places: int) -> Decimal:
    """A double's noise taken off (see the module's docstring): `94.000000000000014` -> 94."""
    if len(number.as_tuple().digits) < NOISY_DIGITS or not number.is_finite():
        return number
    try:
        tolerance = Decimal(math.ulp(float(number))) * NOISE_ULPS
        for scale in range(places + 1):
            rounded = number.quantize(Decimal(1).scaleb(-scale))
            if abs(number - rounded) <= tolerance:
                return rounded
    except (InvalidOperation, OverflowError):
        pass
    return number
