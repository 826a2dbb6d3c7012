"""Problems found in a return, and the spreadsheet that lists them.

A problem is a value, not an exception: reading and checking collect every problem
at once so that a performance officer fixes the whole file in one go. Only a file we
refuse to read at all (empty, not a workbook, a zip bomb, macros ...) stops early, with
`SpreadsheetRejected` carrying the one problem that explains why.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

ERROR = "error"
WARNING = "warning"

PROBLEM_COLUMNS = (
    ("Severity", "severity", 10),
    ("File", "file", 24),
    ("Sheet", "sheet", 18),
    ("Cell", "cell", 8),
    ("Measure", "measure", 10),
    ("Period", "period", 10),
    ("Field", "field", 12),
    ("Problem", "message", 100),
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a return, with where it is, in words its author understands.

    `message` is a whole sentence saying what was found and what was expected. The
    location fields are separate so that the problems can be listed, sorted and
    downloaded as a table, and so that a form can attach a problem to its field.
    """

    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    measure: str = ""
    period: str = ""
    field: str = ""

    @property
    def location(self) -> str:
        """`returns.xlsx, sheet 'KPI return', cell C7`, or only the parts that exist.

        A problem from the typed form has no file or sheet, and its `cell` is the row
        label (`PI3`), which reads best on its own.
        """
        if not (self.file or self.sheet):
            return self.cell
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def about(self) -> str:
        """`PI1, 2025-03`: the line and month, where the location alone does not say them."""
        return ", ".join(part for part in (self.measure, self.period) if part and part != self.cell)

    def __str__(self) -> str:
        location = self.location
        if self.about:
            location = f"{location} ({self.about})" if location else self.about
        return f"{location}: {self.message}" if location else self.message


class SpreadsheetRejected(Exception):
    """The whole file is refused before any figure is read; `.problem` says why and what to do."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def rejected(message: str, *, file: str, sheet: str = "", cell: str = "") -> SpreadsheetRejected:
    """The exception for a refused file; the message names the file itself."""
    return SpreadsheetRejected(
        Problem(severity=ERROR, message=message, file=file, sheet=sheet, cell=cell)
    )


def _text(value: str) -> str:
    # Characters XML cannot hold (a quoted cell from a hostile file may contain them)
    # would make openpyxl refuse to write the whole report.
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def write_text(cell, value: str) -> None:
    """Write `value` as text, never as a formula.

    openpyxl turns any string starting with "=" into a formula; a problem quoting a
    cell such as `=HYPERLINK(...)` must come back as the words it is, so the type is
    forced to string after assignment.
    """
    cell.value = _text(value)
    cell.data_type = "s"


def problems_workbook(problems: list[Problem], *, title: str) -> bytes:
    """The problems as an .xlsx: a Summary sheet and a Problems sheet, one row per problem.

    People fix returns with the list open beside the workbook, filter it by sheet,
    and pass it to colleagues, so it is a spreadsheet rather than a page to print.
    """
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    errors = sum(1 for problem in problems if problem.severity == ERROR)
    warnings = sum(1 for problem in problems if problem.severity == WARNING)
    write_text(summary["A1"], title)
    summary["A1"].font = Font(bold=True, size=14)
    rows = [
        ("Errors", errors, "must be fixed before the return can be submitted"),
        ("Warnings", warnings, "need an explanation, or a correction"),
        ("Problems listed", len(problems), "one row each on the Problems sheet"),
    ]
    for offset, (label, count, note) in enumerate(rows, start=3):
        write_text(summary.cell(row=offset, column=1), label)
        summary.cell(row=offset, column=2, value=count)
        write_text(summary.cell(row=offset, column=3), note)
    write_text(summary.cell(row=7, column=1), "Generated")
    generated = summary.cell(row=7, column=2, value=datetime.datetime.now().replace(microsecond=0))
    generated.number_format = "yyyy-mm-dd hh:mm"
    summary.column_dimensions["A"].width = 18
    summary.column_dimensions["B"].width = 18
    summary.column_dimensions["C"].width = 50

    sheet = workbook.create_sheet("Problems")
    for column, (heading, _attribute, width) in enumerate(PROBLEM_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        write_text(cell, heading)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, problem in enumerate(problems, start=2):
        for column, (_heading, attribute, _width) in enumerate(PROBLEM_COLUMNS, start=1):
            value = getattr(problem, attribute)
            if value:
                cell = sheet.cell(row=row, column=column)
                write_text(cell, str(value))
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{max(len(problems) + 1, 2)}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
