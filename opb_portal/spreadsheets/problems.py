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
NOTE = "note"
"""Told, not asked: a figure read at its measure's precision ("87.19999999999999 read as
87.2"). It neither blocks nor needs an explanation; the preview shows it before saving."""

MAX_PROBLEMS = 200
"""Problems kept for one file; the rest are counted (see `ProblemList`; it is listed with
the other limits in limits.py). Nobody fixes 100,000 problems from a list: the first 200
show what is wrong, and a 62 MB page of them took a worker 50 s to build."""

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
    def is_note(self) -> bool:
        return self.severity == NOTE

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


class ProblemList(list):
    """Problems as a list that keeps the first `limit` and only counts the rest.

    A file of 100,000 bad rows has 100,000 problems, and building, storing and showing
    them all took a worker nearly a minute; the first few hundred tell the person what
    to fix. The rest are counted (`more`, of which `more_errors` are errors, so that a
    list whose kept problems are all warnings still knows the file has errors), and
    `finished` ends the list with one problem saying how many more there were.
    Adding keeps working as on a list: `append`, `extend`, `+=`.
    """

    def __init__(self, problems=(), *, limit: int | None = None):
        super().__init__()
        self.limit = MAX_PROBLEMS if limit is None else limit
        self.more = 0
        self.more_errors = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
            return
        self.more += 1
        if problem.severity == ERROR:
            self.more_errors += 1

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)
        # What another capped list counted but did not keep is counted here too.
        self.more += getattr(problems, "more", 0)
        self.more_errors += getattr(problems, "more_errors", 0)

    def __iadd__(self, problems):
        self.extend(problems)
        return self

    def insert(self, index, problem: Problem) -> None:  # noqa: D102 - as list.insert, capped
        if len(self) < self.limit:
            super().insert(index, problem)
        else:
            self.append(problem)

    @property
    def has_errors(self) -> bool:
        """Whether any problem, kept or only counted, is an error."""
        return self.more_errors > 0 or any(problem.severity == ERROR for problem in self)

    def finished(self, *, file: str = "") -> list[Problem]:
        """The kept problems, and a last one saying how many more there were, if any."""
        kept = list(self)
        if self.more:
            kept.append(
                Problem(
                    severity=ERROR if self.more_errors else WARNING,
                    message=(
                        f"... and {self.more:,} more problem{'s' if self.more != 1 else ''} "
                        "like these, not listed: fix these and upload again."
                    ),
                    file=file,
                )
            )
        return kept


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
