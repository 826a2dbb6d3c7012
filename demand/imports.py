"""
Reading and checking comparator figures, and working out what saving them would change.

The layout (the template on the import page, docs/data-dictionary.md): one table
whose heading row, in the first 10 rows, names Code, Authority, Year and Value, and
optionally Source. It comes as an .xlsx (every sheet with those headings is read;
sheets without them, such as notes, are left alone) or as a UTF-8 CSV. A row whose
authority is "Statistical neighbour average" is the average the source published, for
the neighbour group in force at March of its year.

A workbook goes through the same safe intake as a return (`open_workbook`,
`sheet_rows`, `to_decimal`); a CSV is read within the same limits, and its cells are
text, so `=cmd` is a word that is not a number, never a formula. The typed form's
five fields go through the very same row checks. Every problem is collected with its
file, sheet and cell; nothing here writes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from openpyxl.utils import get_column_letter

from kpis.models import KpiDefinition
from opb_portal.periods import FinancialYear, Period, PeriodError
from opb_portal.reference.models import Unit
from opb_portal.spreadsheets import (
    ERROR,
    Cell,
    Problem,
    ProblemList,
    SpreadsheetRejected,
    fraction_hint,
    open_workbook,
    sheet_rows,
    to_decimal,
)
from opb_portal.spreadsheets.cells import shown, tidy
from opb_portal.spreadsheets.csvrows import csv_rows, is_csv

from .forms import FIRST_YEAR
from .models import Authority, ComparatorValue, Measure, NeighbourGroup, PublishedAverage
from .selectors import figure_date

HEADER_ROWS = 10
MAX_SOURCE = ComparatorValue._meta.get_field("source").max_length
FIELDS = ("code", "authority", "year", "value", "source")
REQUIRED = ("code", "authority", "year", "value")
HEADINGS = {
    "code": "Code",
    "authority": "Authority",
    "year": "Year",
    "value": "Value",
    "source": "Source",
}
# The words people head these columns with, lower case, as found in published tables.
_ALIASES = {
    "code": ("code", "measure", "measure code", "kpi", "kpi code"),
    "authority": ("authority", "local authority", "la", "area", "ons code", "name"),
    "year": ("year", "year (at march)"),
    "value": ("value", "figure"),
    "source": ("source", "source (optional)"),
}
_HEADING_FIELD = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
AVERAGE_NAMES = frozenset(
    {PublishedAverage.LABEL.casefold(), "statistical neighbours", "sn average"}
)
_YEAR = re.compile(r"\d{4}\Z")
_UNIT_NOUN = {
    Unit.PERCENT: "percentage",
    Unit.COUNT: "count",
    Unit.RATE_PER_10000: "rate per 10,000",
    Unit.RATIO: "ratio",
}
ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    """One row of the table as found: a cell per column (blank cells included)."""

    sheet: str
    number: int
    cells: dict[str, Cell]

    @property
    def where(self) -> str:
        return f"sheet '{self.sheet}', row {self.number}" if self.sheet else f"row {self.number}"


@dataclass
class Reading:
    rows: list[RawRow] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)


def read_table(data: bytes, *, filename: str) -> Reading:
    """
    The rows of a comparator file, or the problems that stop it being read.

    A file refused as a whole (not a workbook, macros, a zip bomb, not UTF-8...)
    comes back as its one problem, never as an exception.
    """
    reading = Reading()
    try:
        if is_csv(data, filename):
            found = _read_sheet("", csv_rows(data, filename=filename), reading, file=filename)
        else:
            found = _read_workbook(data, reading, filename=filename)
    except SpreadsheetRejected as refused:
        return Reading(problems=ProblemList([refused.problem]))
    if not found:
        reading.problems.append(
            Problem(
                severity=ERROR,
                message=f"{filename} has no heading row naming Code, Authority, Year and Value in "
                f"its first {HEADER_ROWS} rows: use the template, or head your columns so.",
                file=filename,
            )
        )
    elif not reading.rows and not reading.problems:
        reading.problems.append(
            Problem(
                severity=ERROR,
                message=f"{filename} has headings but no figures under them.",
                file=filename,
            )
        )
    return reading


def _read_workbook(data: bytes, reading: Reading, *, filename: str) -> bool:
    """Every sheet with the headings (all of them read); False if none has them."""
    workbook = open_workbook(data, filename=filename)
    try:
        found = [
            _read_sheet(sheet.title, sheet_rows(sheet, filename=filename), reading, file=filename)
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()
    return any(found)


def _read_sheet(title: str, rows, reading: Reading, *, file: str) -> bool:
    """Add the sheet's rows under its heading row to `reading`; False if it has no heading row."""
    columns: dict[str, int] | None = None
    for number, cells in rows:
        if columns is None:
            if number > HEADER_ROWS:
                return False
            columns = _headings(cells, reading, file=file)
            if columns is not None and any(name not in columns for name in REQUIRED):
                missing = [HEADINGS[name] for name in REQUIRED if name not in columns]
                first = cells[min(cells)]
                reading.problems.append(
                    Problem(
                        severity=ERROR,
                        message=f"The heading row has no {' or '.join(missing)} column: expected "
                        "Code, Authority, Year, Value and (optionally) Source.",
                        file=file,
                        sheet=first.sheet,
                        cell=first.ref,
                    )
                )
                return True
            continue
        found = {
            name: cells.get(column)
            or Cell(sheet=title, ref=f"{get_column_letter(column)}{number}", value=None)
            for name, column in columns.items()
        }
        if all(cell.is_blank for cell in found.values()):
            continue  # a note in a column of its own, beside the table
        reading.rows.append(RawRow(sheet=title, number=number, cells=found))
    return columns is not None


def _headings(cells: dict[int, Cell], reading: Reading, *, file: str) -> dict[str, int] | None:
    """The column of each field if this is the heading row (two headings or more), else None."""
    columns: dict[str, int] = {}
    for column, cell in sorted(cells.items()):
        name = _HEADING_FIELD.get(_folded(cell.value)) if isinstance(cell.value, str) else None
        if name is None:
            continue
        if name in columns:
            reading.problems.append(
                Problem(
                    severity=ERROR,
                    message=f"A second {HEADINGS[name]} column (the first is "
                    f"{get_column_letter(columns[name])}): keep one, so no figure is ambiguous.",
                    file=file,
                    sheet=cell.sheet,
                    cell=cell.ref,
                )
            )
            continue
        columns[name] = column
    return columns if len(columns) >= 2 else None


# --- checking --------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a code names: a demand measure, or a KPI as its framework defines it."""

    code: str
    title: str
    unit: str

    @property
    def noun(self) -> str:
        return _UNIT_NOUN.get(self.unit, "figure")


@dataclass
class Lookups:
    """Everything the row checks need, fetched once (4 queries: measures, KPIs, authorities,
    neighbour groups)."""

    measures: dict[str, Subject]
    kpis: dict[str, list[tuple[object, Subject]]]  # code -> (framework, KPI), oldest first
    authorities: dict[str, Authority]
    groups: list[NeighbourGroup]
    last_year: int

    @classmethod
    def load(cls) -> Lookups:
        # A count with a rate per 10,000 is benchmarked as the rate, as published.
        measures = {
            _folded(m.code): Subject(
                m.code, m.title, Unit.RATE_PER_10000 if m.per_10000 else m.unit
            )
            for m in Measure.objects.all()
        }
        kpis: dict[str, list[tuple[object, Subject]]] = {}
        definitions = KpiDefinition.objects.select_related("framework").order_by(
            "framework__effective_from", "order"
        )
        for kpi in definitions:
            kpis.setdefault(_folded(kpi.code), []).append(
                (kpi.framework, Subject(kpi.code, kpi.title, kpi.unit))
            )
        authorities = {}
        for authority in Authority.objects.all():
            authorities[_folded(authority.name)] = authority
            if authority.code:
                authorities.setdefault(_folded(authority.code), authority)
        return cls(
            measures=measures,
            kpis=kpis,
            authorities=authorities,
            groups=list(NeighbourGroup.objects.all()),
            last_year=timezone.localdate().year,
        )

    def subject(self, text: str, year: int | None) -> Subject | None:
        """
        The measure or KPI a code names in `year`. KPI codes are reused between
        frameworks (PI2 was a rate in 2018 and a percentage in 2024), so a KPI code
        means the KPI of the framework in force at March of the year, or the nearest.
        """
        key = _folded(text)
        if key in self.measures:
            return self.measures[key]
        versions = self.kpis.get(key)
        if not versions:
            return None
        if year is None:
            return versions[-1][1]
        march = Period(year, 3)
        for framework, kpi in versions:
            if framework.covers(march):
                return kpi
        first_framework, first = versions[0]
        return first if march.first_day < first_framework.effective_from else versions[-1][1]

    def group(self, year: int) -> NeighbourGroup | None:
        day = figure_date(year)
        return next((group for group in self.groups if group.covers(day)), None)

    @property
    def authority_list(self) -> list[Authority]:
        """Each authority once (the lookup holds it by name and by ONS code)."""
        unique = {authority.pk: authority for authority in self.authorities.values()}
        return sorted(unique.values(), key=lambda a: (a.kind, a.name))

    @property
    def codes(self) -> list[str]:
        kpi_codes = sorted({versions[-1][1].code for versions in self.kpis.values()}, key=_kpi_key)
        return [*(s.code for s in self.measures.values()), *kpi_codes]


def _kpi_key(code: str) -> tuple[str, int]:
    digits = code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return (code[: len(code) - len(digits)], int(digits) if digits.isdigit() else 0)


@dataclass(frozen=True)
class ComparatorRow:
    """One checked figure: an authority's (`authority`) or a published average's (`group`)."""

    code: str
    year: int
    value: Decimal
    source: str  # "" keeps the source already stored
    authority: Authority | None = None
    group: NeighbourGroup | None = None
    where: str = ""
    # A doubt to show before importing, not an error: "0.872: did you mean 87.2%?"
    warning: str = ""

    @property
    def key(self) -> tuple:
        if self.authority is not None:
            return (self.code, self.year, "authority", self.authority.pk)
        return (self.code, self.year, "group", self.group.pk)

    @property
    def name(self) -> str:
        if self.authority is not None:
            return self.authority.name
        return f"{PublishedAverage.LABEL} ({self.group.name})"


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None or cell.error is not None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _year(cell: Cell, *, last_year: int) -> int | str:
    """The year a cell names (2024, or 2023-24 for the year ending March 2024), or a message."""
    value = cell.value
    year = None
    if isinstance(value, bool) or cell.error is not None:
        year = None
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if _YEAR.match(text):
            year = int(text)
        else:
            try:
                year = FinancialYear.parse(text).start_year + 1
            except PeriodError:
                year = None
    expected = (
        f"expected a year from {FIRST_YEAR} to {last_year}, such as 2024 (at March 2024, or "
        "the financial year 2023-24)"
    )
    if year is None:
        found = cell.error if cell.error is not None else value
        if isinstance(value, datetime.date):
            return f"{shown(found)} is a date, not a year: {expected}."
        return f"{shown(found)} is not a year: {expected}."
    if not FIRST_YEAR <= year <= last_year:
        return f"{year} is out of range: {expected}."
    return year


def check_row(raw: RawRow, *, file: str, lookups: Lookups) -> tuple[ComparatorRow | None, list]:
    """One row's checked figure, or None and every problem with it."""
    cells = raw.cells
    problems: list[Problem] = []
    code_text = _text(cells["code"])
    year_cell = cells["year"]

    def problem(name: str, message: str) -> None:
        cell = cells[name]
        problems.append(
            Problem(
                severity=ERROR,
                message=message,
                file=file,
                sheet=cell.sheet,
                cell=cell.ref,
                measure=code_text,
                period=_text(year_cell),
                field=name,
            )
        )

    for name in REQUIRED:
        if cells[name].is_blank:
            problem(
                name,
                f"No {HEADINGS[name].lower()}: every row needs a code, an authority, a year and "
                "a value (delete a row that has no figure).",
            )
    year = None
    if not year_cell.is_blank:
        year = _year(year_cell, last_year=lookups.last_year)
        if isinstance(year, str):
            problem("year", year)
            year = None
    subject = None
    if code_text:
        subject = lookups.subject(code_text, year)
        if subject is None:
            problem(
                "code",
                f"{shown(code_text)} is not a demand measure or KPI code: expected a code such as "
                "children_in_care or PI1 (the import page lists them all).",
            )
    authority = group = None
    authority_text = _text(cells["authority"])
    if authority_text:
        if _folded(authority_text) in AVERAGE_NAMES:
            group = lookups.group(year) if year is not None else None
            if year is not None and group is None:
                problem(
                    "authority",
                    f"No statistical neighbour group covers March {year}, so there is no group "
                    f"for a published average of {year}: add the group first (Administration).",
                )
        else:
            authority = lookups.authorities.get(_folded(authority_text))
            if authority is None:
                problem(
                    "authority",
                    f"{shown(authority_text)} is not an authority the portal knows: expected an "
                    "authority's name or ONS code (such as Sandwell or E08000028), a region, "
                    f"England, or '{PublishedAverage.LABEL}'.",
                )
    value = _value(cells["value"], subject, file=file, code=code_text, year=_text(year_cell))
    if isinstance(value, Problem):
        problems.append(value)
    elif isinstance(value, str):
        problem("value", value)
    source = _text(cells["source"]) if "source" in cells else ""
    if len(source) > MAX_SOURCE:
        problem(
            "source",
            f"The source is {len(source)} characters long, over the {MAX_SOURCE} allowed: "
            "shorten it (the import keeps the file's name anyway).",
        )
    if problems or subject is None or year is None or value is None:
        return None, problems
    hint = fraction_hint(cells["value"], value) if subject.unit == Unit.PERCENT else None
    row = ComparatorRow(
        code=subject.code,
        year=year,
        value=value,
        source=source,
        authority=authority,
        group=group,
        where=raw.where,
        warning=(
            f"{hint} {subject.code} is a percentage, and in a cell not formatted as one "
            f"{value} means {value}%: if you meant {tidy(value * 100)}%, type {tidy(value * 100)} "
            "(or format the cell as a percentage) and check the file again."
            if hint
            else ""
        ),
    )
    return row, problems


def _value(
    cell: Cell, subject: Subject | None, *, file, code, year
) -> Decimal | Problem | str | None:
    # An unknown code is reported on its own: its value is read leniently, not judged.
    percent = subject is None or subject.unit == Unit.PERCENT
    value = to_decimal(cell, percent=percent, file=file, measure=code, period=year)
    if not isinstance(value, Decimal) or subject is None:
        return value
    if value < 0:
        return f"{value} is negative: {subject.code} is a {subject.noun}, which cannot be below 0."
    if percent and value > 100:
        return f"{value}% is over 100: {subject.code} is a percentage, from 0 to 100."
    return value


def check_rows(
    raw_rows: Iterable[RawRow], *, file: str, lookups: Lookups
) -> tuple[list[ComparatorRow], list[Problem]]:
    """Every row checked, and a figure given twice reported at its second row.

    The problems are the first `MAX_PROBLEMS`, with how many more there were.
    """
    rows: list[ComparatorRow] = []
    problems = ProblemList()
    seen: dict[tuple, RawRow] = {}
    for raw in raw_rows:
        row, found = check_row(raw, file=file, lookups=lookups)
        problems.extend(found)
        if row is None:
            continue
        first = seen.get(row.key)
        if first is not None:
            cell = raw.cells["code"]
            problems.append(
                Problem(
                    severity=ERROR,
                    message=f"{row.code} for {row.name} in {row.year} is given twice (also at "
                    f"{first.where}): keep one row.",
                    file=file,
                    sheet=cell.sheet,
                    cell=cell.ref,
                    measure=row.code,
                    period=str(row.year),
                    field="code",
                )
            )
            continue
        seen[row.key] = raw
        rows.append(row)
    return rows, problems.finished(file=file)


def typed_row(
    *, code: str, authority: str, year: str, value: str, source: str, lookups: Lookups
) -> tuple[ComparatorRow | None, list[Problem]]:
    """The typed form's five fields, through the same checks as a file's row."""
    typed = {"code": code, "authority": authority, "year": year, "value": value, "source": source}
    cells = {
        name: Cell(sheet="", ref=HEADINGS[name], value=(text or "").strip() or None)
        for name, text in typed.items()
    }
    return check_row(RawRow(sheet="", number=0, cells=cells), file="", lookups=lookups)


# --- what saving would change ------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One checked figure beside the one stored now (`current`, None if there is none)."""

    row: ComparatorRow
    current: ComparatorValue | PublishedAverage | None

    @property
    def old_value(self) -> Decimal | None:
        return self.current.value if self.current is not None else None

    @property
    def old_source(self) -> str:
        return self.current.source if self.current is not None else ""

    @property
    def new_source(self) -> str:
        """A blank source keeps the one stored: leaving a cell empty never erases it."""
        return self.row.source or self.old_source

    @property
    def state(self) -> str:
        if self.current is None:
            return ADDED
        # Compared as numbers: 95.20 typed over 95.2 is the same figure.
        if self.current.value != self.row.value or self.new_source != self.old_source:
            return CHANGED
        return UNCHANGED


@dataclass
class Plan:
    """What importing a file (or saving a typed figure) would do, or why it cannot."""

    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def warnings(self) -> list[Planned]:
        """Figures imported as they are but worth a second look (a fraction for a %)."""
        return [planned for planned in self.rows if planned.row.warning]

    def _in(self, state: str) -> list[Planned]:
        return [planned for planned in self.rows if planned.state == state]

    @property
    def added(self) -> list[Planned]:
        return self._in(ADDED)

    @property
    def changed(self) -> list[Planned]:
        return self._in(CHANGED)

    @property
    def unchanged(self) -> list[Planned]:
        return self._in(UNCHANGED)

    @property
    def fingerprint(self) -> str:
        """
        The SHA-256 of every figure before and after: the confirmation carries the one
        its author saw, so a preview made stale by someone else's change cannot apply.
        """
        facts = sorted(
            [
                *map(str, p.row.key),
                str(p.old_value),
                p.old_source,
                str(p.row.value),
                p.new_source,
            ]
            for p in self.rows
        )
        return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def plan_rows(rows: list[ComparatorRow], *, lock: bool = False) -> list[Planned]:
    """
    Each row beside the figure stored now (2 queries: authorities' figures, published
    averages). `lock` holds those rows until the transaction ends, for the save.
    """
    codes = {row.code for row in rows}
    years = {row.year for row in rows}
    values = ComparatorValue.objects.filter(code__in=codes, year__in=years)
    averages = PublishedAverage.objects.filter(code__in=codes, year__in=years)
    if lock:
        values, averages = values.select_for_update(), averages.select_for_update()
    stored: dict[tuple, ComparatorValue | PublishedAverage] = {}
    if any(row.authority is not None for row in rows):
        for value in values:
            stored[(value.code, value.year, "authority", value.authority_id)] = value
    if any(row.group is not None for row in rows):
        for average in averages:
            stored[(average.code, average.year, "group", average.group_id)] = average
    return [Planned(row=row, current=stored.get(row.key)) for row in rows]


def plan_file(data: bytes, *, filename: str, lock: bool = False) -> Plan:
    """Read, check and compare a file: its problems, or every figure it would add or change."""
    reading = read_table(data, filename=filename)
    if reading.problems:
        return Plan(filename=filename, problems=reading.problems.finished(file=filename))
    rows, problems = check_rows(reading.rows, file=filename, lookups=Lookups.load())
    if problems:
        return Plan(filename=filename, problems=problems)
    return Plan(filename=filename, rows=plan_rows(rows, lock=lock))
