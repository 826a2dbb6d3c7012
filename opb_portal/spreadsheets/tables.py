"""
A plain table in a workbook or CSV: a heading row, then one row per record.

The comparator figures (and the published tables to come) are such tables: a
`TableSpec` names each column with the heading the portal's template gives it and the
other words people head it with. The heading row is looked for in the first
`HEADER_ROWS` rows of every sheet, under any title rows; every sheet with one is read,
sheets without one (notes, a chart) are left alone. Columns the spec does not name are
read past. Headings are compared as the return reader compares them (`heading_key`):
without case, spacing, curly quotes, underscores, a trailing colon or star, or a
trailing "(...)" such as "Source (optional)".

A file refused as a whole (not a workbook, macros, a zip bomb, an unreadable CSV, past
the limits) comes back as its one problem, never as an exception; every other problem
names its file, sheet and cell. Nothing here knows what the columns mean: the caller
judges each `TableRow`'s cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from openpyxl.utils import get_column_letter

from opb_portal.core.text import joined
from opb_portal.spreadsheets.cells import Cell
from opb_portal.spreadsheets.csvrows import csv_rows, is_csv
from opb_portal.spreadsheets.intake import open_workbook
from opb_portal.spreadsheets.problems import ERROR, Problem, ProblemList, SpreadsheetRejected
from opb_portal.spreadsheets.rows import sheet_rows

HEADER_ROWS = 10
"""The heading row of a table or a return is looked for in rows 1 to 10, under any titles."""

_PARENTHESIS = re.compile(r"\s*\([^()]*\)\Z")
# Curly quotes and dashes that Word and Excel's AutoCorrect put into titles.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)


def heading_key(text: object) -> str:
    """Headings and labels compared without case, spacing, curly quotes, underscores (a
    field's name, `actual_to_date`, as an export heads it) or a trailing colon or star."""
    text = str(text).translate(_TYPOGRAPHIC).replace("_", " ")
    return " ".join(text.split()).lower().rstrip(":*").rstrip()


def without_parenthesis(key: str) -> str:
    """A heading key without a trailing "(...)": "source (optional)" is "source"."""
    return _PARENTHESIS.sub("", key)


@dataclass(frozen=True)
class Column:
    """One column of a table: its field name, the template's heading, the other headings."""

    name: str  # "authority"
    heading: str  # "Authority", as the template heads it and messages name it
    aliases: tuple[str, ...] = ()  # ("local authority", "la", "ons code")
    required: bool = True


@dataclass(frozen=True)
class TableSpec:
    """The columns of a table, in the template's order."""

    columns: tuple[Column, ...]

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    @property
    def required(self) -> list[Column]:
        return [column for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def field_of(self, cell: Cell) -> str | None:
        """The field a heading cell names, or None."""
        if not isinstance(cell.value, str):
            return None
        key = heading_key(cell.value)
        lookup = self._lookup
        return lookup.get(key) or lookup.get(without_parenthesis(key))

    @cached_property
    def _lookup(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for column in self.columns:
            for heading in (column.heading, column.name, *column.aliases):
                found.setdefault(heading_key(heading), column.name)
        return found

    def describe(self) -> str:
        """ "Code, Authority, Year, Value and (optionally) Source", for messages."""
        optional = [f"(optionally) {c.heading}" for c in self.columns if not c.required]
        return joined([c.heading for c in self.required] + optional)


@dataclass(frozen=True)
class TableRow:
    """One row under the headings: a cell per column (blank cells included)."""

    sheet: str
    number: int
    cells: dict[str, Cell]

    @property
    def where(self) -> str:
        return f"sheet '{self.sheet}', row {self.number}" if self.sheet else f"row {self.number}"


@dataclass
class TableReading:
    rows: list[TableRow] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> its heading row


def read_table(data: bytes, *, filename: str, spec: TableSpec) -> TableReading:
    """
    The rows of a table in an .xlsx (every sheet with the headings) or a CSV, or the
    problems that stop it being read.
    """
    reading = TableReading()
    try:
        if is_csv(data, filename):
            _read_sheet("", csv_rows(data, filename=filename), reading, spec, file=filename)
        else:
            workbook = open_workbook(data, filename=filename)
            try:
                for sheet in workbook.worksheets:
                    rows = sheet_rows(sheet, filename=filename)
                    _read_sheet(sheet.title, rows, reading, spec, file=filename)
            finally:
                workbook.close()
    except SpreadsheetRejected as refused:
        return TableReading(problems=ProblemList([refused.problem]))
    if not reading.header_rows:
        required = joined([column.heading for column in spec.required])
        reading.problems.append(
            Problem(
                severity=ERROR,
                message=f"{filename} has no heading row naming {required} in its first "
                f"{HEADER_ROWS} rows: use the template, or head your columns so.",
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


def _read_sheet(
    title: str,
    rows: Iterable[tuple[int, dict[int, Cell]]],
    reading: TableReading,
    spec: TableSpec,
    *,
    file: str,
) -> None:
    """Add the sheet's rows under its heading row to `reading`, if it has one."""
    stream: Iterator = iter(rows)
    columns = None
    for number, cells in stream:
        if number > HEADER_ROWS:
            return  # no heading row: a sheet of notes, left alone
        columns = heading_row(cells, spec, reading.problems, file=file)
        if columns is not None:
            break
    if columns is None:
        return
    reading.header_rows[title] = number
    missing = [column.heading for column in spec.required if column.name not in columns]
    if missing:
        first = cells[min(cells)]
        reading.problems.append(
            Problem(
                severity=ERROR,
                message=f"The heading row has no {' or '.join(missing)} column: expected "
                f"{spec.describe()}.",
                file=file,
                sheet=first.sheet,
                cell=first.ref,
            )
        )
        return
    for number, cells in stream:
        found = {
            name: cells.get(column)
            or Cell(sheet=title, ref=f"{get_column_letter(column)}{number}", value=None)
            for name, column in columns.items()
        }
        if all(cell.is_blank for cell in found.values()):
            continue  # a note in a column of its own, beside the table
        reading.rows.append(TableRow(sheet=title, number=number, cells=found))


def heading_row(
    cells: dict[int, Cell], spec: TableSpec, problems: ProblemList, *, file: str
) -> dict[str, int] | None:
    """The column of each field if this is the heading row (two headings or more), else None.

    A heading given twice is reported at the second, which is not read.
    """
    columns: dict[str, int] = {}
    for column, cell in sorted(cells.items()):
        name = spec.field_of(cell)
        if name is None:
            continue
        if name in columns:
            problems.append(
                Problem(
                    severity=ERROR,
                    message=f"A second {spec.column(name).heading} column (the first is "
                    f"{get_column_letter(columns[name])}): keep one, so no figure is ambiguous.",
                    file=file,
                    sheet=cell.sheet,
                    cell=cell.ref,
                )
            )
            continue
        columns[name] = column
    return columns if len(columns) >= 2 else None
