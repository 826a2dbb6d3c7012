"""Finding a return in a workbook, whichever of the three layouts people used.

People keep monthly figures in three shapes, and all three are accepted:

- the portal's **template** (one month, one row per measure, see template.py);
- a **long** table: one row per measure and month, with columns such as KPI, Period,
  Value, Numerator, Denominator, Commentary in any order and any case;
- a **wide** table: one row per measure (by code or by title), one column per month,
  the tracker most teams already keep.

The header row may sit under title rows, anywhere in the first 10 rows. A workbook
may hold other sheets that are not a return (a child-level list, a pivot, a chart,
notes): when one sheet holds the return, the others are left out, listed in the
`Reading`, never turned into errors. A CSV is read as a workbook of one sheet. This module
knows no domain: a `LayoutSpec` from the domain says what the measure column is
called, which fields exist, which labels are its measures, and which words betray
another domain's sheet. It returns `Record`s of cells, not figures: turning cells into
Decimals and judging them is the domain's job (with `cells.to_decimal`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from itertools import chain

from openpyxl.utils.cell import get_column_letter, range_boundaries

from opb_portal.periods import Period, PeriodError, read_month
from opb_portal.spreadsheets import limits
from opb_portal.spreadsheets.cells import Cell, make_cell, shown
from opb_portal.spreadsheets.csvrows import csv_rows, is_csv
from opb_portal.spreadsheets.intake import open_workbook
from opb_portal.spreadsheets.problems import ERROR, WARNING, Problem, ProblemList, rejected
from opb_portal.spreadsheets.rows import SheetRows
from opb_portal.spreadsheets.tables import HEADER_ROWS, without_parenthesis
from opb_portal.spreadsheets.tables import heading_key as _key

INSTRUCTIONS_SHEET = "Instructions"
# The template's marker: a custom document property, invisible and kept by Excel on
# save, "<domain> <yyyy-mm>". It tells a template from a look-alike and which domain's.
TEMPLATE_PROPERTY = "opb-template"
PERIOD_LABELS = ("reporting month", "reporting period", "month", "period")
PERIOD_HEADINGS = ("period", "month", "reporting month", "reporting period", "date")
# Columns people keep beside the figures for their own reference: read silently past.
REFERENCE_HEADINGS = (
    "title",
    "name",
    "description",
    "unit",
    "units",
    "last month",
    "target",
    # the portal's own export of a return's figures: read back, these are not figures
    "rag",
    "queries",
)
# The heading the portal's export of a return's figures gives its measure column.
PORTAL_MEASURE_HEADINGS = ("line",)
# A measure column may be a title column when there is no code column.
TITLE_HEADINGS = ("title", "name", "measure title", "description")

_MONTH_LIKE = re.compile(
    r"(?:\d{4}\s*[-/.]\s*\d{1,2}"
    r"|(?:\d{1,2}\s*[-/.]\s*)?\d{1,2}\s*[-/.]\s*\d{2,4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-/']*\d{2,4})",
    re.IGNORECASE,
)
_ACCEPTED_MONTHS = "write it as 2025-03, Mar-25 or March 2025, or use a date cell"


@dataclass(frozen=True)
class LayoutSpec:
    """What a domain's return looks like in a workbook; the reader knows nothing else."""

    domain: str  # the return's domain, as registered
    template_sheet: str  # "KPI return"
    measure_headers: tuple[str, ...]  # lower-case headings of the measure column: ("kpi", "code")
    fields: dict[str, tuple[str, ...]]  # field -> lower-case headings: {"value": ("value",)}
    text_fields: frozenset[str] = frozenset({"commentary"})  # not numeric
    # Lower-cased code or title -> code, for wide tables and to recognise measure rows.
    measure_labels: dict[str, str] = field(default_factory=dict)
    # Files that look like a return but are not one (the portal's own reports), each
    # as (lower-case headings that betray it, the one-line reason it is not a return).
    not_returns: tuple[tuple[tuple[str, ...], str], ...] = ()
    # Domain -> words that betray its sheets: {"budget": ("forecast outturn", "budget")}.
    other_domains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What people call one row of this return, for messages: "KPI".
    measure_noun: str = "measure"


@dataclass(frozen=True, slots=True)  # slots: a long table makes tens of thousands of these
class Record:
    """One measure for one month, as cells: where each figure came from and what it was."""

    measure: Cell  # the cell holding the code or title as written
    code: str | None  # resolved through measure_labels; None if unknown (long and template only)
    period: Period
    period_cell: Cell | None  # long: the row's Period cell; wide: the month heading; template:
    # the reporting month cell; None when the period came from `default_period`
    fields: dict[str, Cell]  # field -> cell (blank cells included, so problems can point at them)


@dataclass
class Reading:
    """What was found in a workbook: the records, and the problems met reading them."""

    layout: str  # "template", "long" or "wide" (of the first sheet read)
    records: list[Record]
    # Unreadable months, duplicate columns, unknown rows ...: the first `MAX_PROBLEMS`,
    # with how many more there were.
    problems: ProblemList
    # The sheets the records came from, and the others (notes, lists, charts, another
    # domain's return), in workbook order; a CSV is one sheet titled "".
    sheets_read: list[str] = field(default_factory=list)
    sheets_left_out: list[str] = field(default_factory=list)
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> its heading row


def read_returns(
    data: bytes, *, filename: str, spec: LayoutSpec, default_period: Period | None = None
) -> Reading:
    """Read every month of every measure in an uploaded workbook, in any accepted layout.

    Raises `SpreadsheetRejected` when the file is refused as a whole (see
    `open_workbook`), when a header has merged cells, when no sheet holds a return,
    or when the workbook is another domain's return. Otherwise every problem is
    collected in the Reading. Rows are streamed: time is linear in the cells present
    and blank cells cost nothing.

    Reading stays within `limits`: rows, cells, shared strings, the length of a cell,
    `MAX_DISTINCT_CODES` different labels in the measure column, and the file's deadline;
    past any of them the whole file is refused. Problems past `MAX_PROBLEMS` are counted,
    not kept (see `ProblemList`).

    Long and template rows give a Record for every row that names a measure, even
    with its figures blank (the domain decides whether a blank is missing); an
    unknown label there gives a Record with `code=None` for the domain to report. Wide
    tables give a Record for each non-blank figure, and report unknown row labels
    themselves, because there a label is the only thing telling a measure row from a
    note or a subtotal.
    """
    context = _Context(filename=filename, spec=spec, default_period=default_period)
    if is_csv(data, filename):
        sheet = _read_rows("", csv_rows(data, filename=filename), [], set(), context)
        return _combine([sheet], context, [""])
    workbook = open_workbook(data, filename=filename)
    try:
        marker = _template_marker(workbook)
        if marker and marker[0] != spec.domain:
            raise rejected(
                f"{filename} is the portal's {marker[0]} template: upload it as a {marker[0]} "
                "return, or download the template for this return.",
                file=filename,
            )
        context.marker_period = marker[1] if marker else None
        sheets = [
            _read_sheet(sheet, context)
            for sheet in workbook.worksheets
            if sheet.title.strip().lower() != INSTRUCTIONS_SHEET.lower()
        ]
        names = list(workbook.sheetnames)  # chart sheets included
    finally:
        workbook.close()
    return _combine(sheets, context, names)


# --- reading one sheet ---------------------------------------------------------------


class _Context:
    """What every sheet of one upload shares: the spec's lookups and some caches."""

    def __init__(self, *, filename: str, spec: LayoutSpec, default_period: Period | None):
        self.filename = filename
        self.spec = spec
        self.default_period = default_period
        self.marker_period: Period | None = None
        self.noun = spec.measure_noun
        self.headings: dict[str, tuple[str, str]] = {}
        for heading in TITLE_HEADINGS:
            self.headings[heading] = ("title", "")
        for heading in REFERENCE_HEADINGS:
            self.headings.setdefault(heading, ("reference", ""))
        for heading in PERIOD_HEADINGS:
            self.headings[heading] = ("period", "")
        for name, aliases in spec.fields.items():
            for alias in aliases:
                self.headings[_key(alias)] = ("field", name)
        for alias in PORTAL_MEASURE_HEADINGS:
            self.headings.setdefault(alias, ("measure", ""))
        for alias in spec.measure_headers:
            self.headings[_key(alias)] = ("measure", "")
        self.zero_formulas: set[str] = set()  # of the sheet being read (see SheetRows)
        self.labels: dict[str, str] = {_key(code): code for code in spec.measure_labels.values()}
        self.labels.update({_key(label): code for label, code in spec.measure_labels.items()})
        self.other_domains = [
            (
                domain,
                re.compile(r"\b(?:" + "|".join(re.escape(_key(word)) for word in words) + r")\b"),
            )
            for domain, words in spec.other_domains.items()
            if words
        ]
        self._periods: dict[object, tuple[Period, int | None] | None] = {}
        self._codes: dict[tuple[type, object], str | None] = {}

    def heading(self, cell: Cell) -> tuple[str, str] | None:
        if not isinstance(cell.value, str):
            return None
        key = _key(cell.value)
        return self.headings.get(key) or self.headings.get(without_parenthesis(key))

    def period(self, cell: Cell) -> Period | None:
        """The month a cell names (cached: a long table repeats a few months many times)."""
        found = self._month(cell)
        return found[0] if found is not None else None

    def month_heading(self, cell: Cell) -> Period | None:
        """The month a column heading names; a date is one only if it reads as a month.

        A heading written as a date is the month's first or last day, or shown without
        its day (Excel turns a typed "Sep-25" into 1 September, shown "Sep-25"). Any
        other date is data, such as a date of birth in a child-level list, and must not
        make its row look like a row of month headings.
        """
        found = self._month(cell)
        if found is None:
            return None
        period, day = found
        if day is None or day in (1, period.last_day.day):
            return period
        if isinstance(cell.value, datetime.date) and "d" not in cell.number_format.lower():
            return period
        return None

    def _month(self, cell: Cell) -> tuple[Period, int | None] | None:
        value = cell.value
        if cell.error is not None or not isinstance(value, str | datetime.date):
            return None
        try:
            return self._periods[value]
        except KeyError:
            pass
        try:
            found = read_month(value)
        except (PeriodError, ValueError, OverflowError):
            found = None
        self._periods[value] = found
        return found

    def code(self, cell: Cell) -> str | None:
        """The code a label names, or None; refuses the file past `MAX_DISTINCT_CODES` labels."""
        value = cell.value
        key = (type(value), value)  # True must not find the code cached for 1
        try:
            return self._codes[key]
        except KeyError:
            pass
        if len(self._codes) >= limits.MAX_DISTINCT_CODES:
            raise rejected(
                f"{self.filename} names more than {limits.MAX_DISTINCT_CODES:,} different "
                f"{self.noun}s (the one in cell {cell.ref} of sheet '{cell.sheet}' is one too "
                f"many), far more than this return has: check that the {self.noun} column "
                "holds the codes of the return, and upload it again.",
                file=self.filename,
                sheet=cell.sheet,
                cell=cell.ref,
            )
        label = _label(value)
        found = self.labels.get(label) if label is not None else None
        self._codes[key] = found
        return found

    def other_domain(self, texts) -> str | None:
        for domain, pattern in self.other_domains:
            if any(pattern.search(_key(text)) for text in texts if isinstance(text, str)):
                return domain
        return None


@dataclass
class _Sheet:
    title: str
    recognised: bool
    layout: str = ""
    records: list[Record] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    other_domain: str | None = None
    known: int = 0  # rows naming a measure of this return
    header_row: int = 0
    not_a_return: str = ""  # why, when the sheet is one of the portal's own reports


@dataclass
class _Header:
    row: int
    layout: str  # "tabular" or "wide"
    cells: dict[int, Cell]
    labels: list[int] = field(default_factory=list)  # columns holding the measure, by preference
    period: int | None = None
    fields: dict[str, int] = field(default_factory=dict)
    months: dict[int, tuple[Period, Cell]] = field(default_factory=dict)
    first_month: int = 0
    ignored: dict[int, Cell] = field(default_factory=dict)  # unknown headings (tabular)
    problems: list[Problem] = field(default_factory=list)


def _read_sheet(sheet, context: _Context) -> _Sheet:
    rows = SheetRows(sheet, filename=context.filename)
    return _read_rows(sheet.title, rows, rows.merged, rows.zero_formulas, context)


def _read_rows(title: str, rows, merged: list[str], zero_formulas: set[str], context) -> _Sheet:
    """One sheet (or a CSV) from its non-blank rows; `merged` is complete once they are read."""
    context.zero_formulas = zero_formulas
    stream = iter(rows)
    head: list[tuple[int, dict[int, Cell]]] = []
    after: list[tuple[int, dict[int, Cell]]] = []
    for number, cells in stream:
        if number > HEADER_ROWS:
            after.append((number, cells))
            break
        head.append((number, cells))

    reason = _not_a_return(head, context)
    if reason:
        for _row in stream:
            pass  # read to the end all the same: the limits hold for every sheet
        return _Sheet(title, recognised=False, not_a_return=reason)
    header = _tabular_header(head, title, context) or _wide_header(head, title, context)
    if header is None:
        texts = [cell.value for _number, cells in head for cell in cells.values()]
        for _row in stream:
            pass
        return _Sheet(title, recognised=False, other_domain=context.other_domain(texts))

    body = chain((row for row in head if row[0] > header.row), after, stream)
    if header.layout == "wide":
        result = _read_wide(title, header, body, context)
    else:
        result = _read_tabular(title, header, head, body, context)
    for _row in stream:
        pass  # merged ranges follow the cells in the sheet XML
    result.header_row = header.row
    _refuse_merged_header(merged, header, title, context)
    return result


def _not_a_return(head, context: _Context) -> str:
    """The reason a sheet is one of the portal's own reports, if its headings say so."""
    for _number, cells in head:
        headings = {_key(cell.value) for cell in cells.values() if isinstance(cell.value, str)}
        for betrayed_by, reason in context.spec.not_returns:
            if headings.issuperset(_key(heading) for heading in betrayed_by):
                return reason
    return ""


def _tabular_header(head, title: str, context: _Context) -> _Header | None:
    """The first row with a measure column and at least one field column."""
    for number, cells in head:
        header = _Header(row=number, layout="tabular", cells=cells)
        measure = title_column = None
        seen: dict[tuple[str, str], Cell] = {}
        for column in sorted(cells):
            cell = cells[column]
            role = context.heading(cell)
            if role is None:
                if isinstance(cell.value, str):
                    header.ignored[column] = cell
                continue
            kind, name = role
            if kind == "reference":
                continue
            if kind == "title":
                title_column = column if title_column is None else title_column
                continue
            if role in seen:
                header.problems.append(
                    _problem(
                        context,
                        title,
                        cell,
                        f"There are two {shown(seen[role].value)} columns, {seen[role].ref} and "
                        f"{cell.ref}: keep one, so that we know which to read.",
                        field=name,
                    )
                )
                continue
            seen[role] = cell
            if kind == "measure":
                measure = column
            elif kind == "period":
                header.period = column
            else:
                header.fields[name] = column
        if measure is None and title_column is not None:
            measure, title_column = title_column, None
        if measure is None or not header.fields:
            continue
        header.labels = [measure] + ([title_column] if title_column is not None else [])
        return header
    return None


def _wide_header(head, title: str, context: _Context) -> _Header | None:
    """The row with the most month headings right of a label column (the later one on a tie)."""
    best: _Header | None = None
    best_score = 0
    for number, cells in head:
        header = _Header(row=number, layout="wide", cells=cells)
        bad: dict[int, Cell] = {}  # month-like headings we cannot read: reported, not read
        for column in sorted(cells):
            cell = cells[column]
            period = context.month_heading(cell)
            if period is not None:
                header.months[column] = (period, cell)
            elif isinstance(cell.value, str) and _MONTH_LIKE.fullmatch(cell.value.strip()):
                bad[column] = cell
        # A row of headings that all look like months but none reads is still the
        # heading row: each is reported, rather than "could not find the return".
        if not header.months and len(bad) < 2:
            continue
        header.first_month = min(chain(header.months, bad))
        if header.first_month == 1:
            continue  # no room for the measure labels
        others = sum(
            1
            for column in cells
            if column > header.first_month and column not in header.months and column not in bad
        )
        if others > len(header.months) + len(bad):
            continue  # a row of data with a date or two in it, not a row of month headings
        score = len(header.months) + len(bad)
        if score < best_score:
            continue
        best, best_score = header, score
        header.problems = [
            _problem(
                context,
                title,
                cell,
                f"The column heading {shown(cell.value)} looks like a month but cannot be read: "
                f"{_ACCEPTED_MONTHS}.",
            )
            for cell in bad.values()
        ]
    if best is None:
        return None
    seen: dict[Period, Cell] = {}
    for column in sorted(best.months):
        period, cell = best.months[column]
        if period in seen:
            best.problems.append(
                _problem(
                    context,
                    title,
                    cell,
                    f"{period.long} heads two columns, {seen[period].ref} and {cell.ref}: keep "
                    "one, so that each month is given once.",
                    period=period.iso,
                )
            )
            del best.months[column]
        else:
            seen[period] = cell
    return best


def _read_tabular(title, header: _Header, head, body, context: _Context) -> _Sheet:
    spec = context.spec
    result = _Sheet(title, recognised=True, problems=ProblemList(header.problems))
    sheet_period = period_cell = None
    if header.period is None:
        sheet_period, period_cell, problem = _sheet_period(title, header, head, context)
        if problem is not None:
            result.problems.append(problem)
        result.layout = "template" if _is_template(title, context) else "long"
        if sheet_period is None:
            return result
    else:
        result.layout = "long"
    fields = [(name, column, get_column_letter(column)) for name, column in header.fields.items()]
    labels = header.labels
    period_column = header.period
    text_fields = [name for name in header.fields if name in spec.text_fields]
    zero_formulas = context.zero_formulas
    ignored = set(header.ignored)
    ignored_with_data: set[int] = set()
    known = unknown = 0
    unknown_texts: dict[object, None] = {}  # each once: 60,000 rows may repeat one label
    records = result.records
    problems = result.problems
    for number, cells in body:
        if ignored:
            ignored_with_data.update(column for column in ignored if column in cells)
        measure_cell, code = _measure(cells, labels, context)
        row_fields = {
            name: cells.get(column)
            or make_cell(title, f"{letter}{number}", None, "General", None, False)
            for name, column, letter in fields
        }
        for name in text_fields:
            cell = row_fields[name]
            if cell.formula_without_value or cell.error or cell.ref in zero_formulas:
                problems.append(_formula_text(context, title, cell, name))
        # Only non-blank cells are in `cells`, so presence is enough.
        has_figures = any(column in cells for _name, column, _letter in fields)
        if measure_cell is None:
            if has_figures:
                problems.append(
                    _problem(
                        context,
                        title,
                        Cell(title, f"{get_column_letter(labels[0])}{number}", None),
                        f"Row {number} has figures but no {context.noun} code: type the code in "
                        f"column {get_column_letter(labels[0])}, or delete the row.",
                    )
                )
            continue
        if code is None:
            if not has_figures and (period_column is None or period_column not in cells):
                continue  # a note under the table, not a measure row
            unknown += 1
            unknown_texts[measure_cell.value] = None
        else:
            known += 1
        if period_column is None:
            period, source = sheet_period, period_cell
        else:
            source = cells.get(period_column)
            if source is None:
                if context.default_period is None:
                    problems.append(
                        _problem(
                            context,
                            title,
                            Cell(title, f"{get_column_letter(period_column)}{number}", None),
                            f"The month is missing for {shown(measure_cell.value)}: "
                            f"{_ACCEPTED_MONTHS}.",
                            measure=code or "",
                        )
                    )
                    continue
                period = context.default_period
            else:
                period = context.period(source)
                if period is None:
                    problems.append(
                        _problem(
                            context,
                            title,
                            source,
                            f"{shown(source.value)} is not a month: {_ACCEPTED_MONTHS}.",
                            measure=code or "",
                        )
                    )
                    continue
        records.append(Record(measure_cell, code, period, source, row_fields))

    for column in sorted(ignored_with_data):
        cell = header.ignored[column]
        known_headings = ", ".join(aliases[0].capitalize() for aliases in spec.fields.values())
        problems.append(
            Problem(
                severity=WARNING,
                message=(
                    f"The column heading {shown(cell.value)} is not one we read (we read "
                    f"{known_headings}), so this column was not read: correct the heading if it "
                    "holds figures for the return."
                ),
                file=context.filename,
                sheet=title,
                cell=cell.ref,
            )
        )
    header_texts = [cell.value for cell in header.cells.values()]
    result.known = known
    _judge_domain(result, known, unknown, header_texts + list(unknown_texts), context)
    return result


def _formula_text(context, title: str, cell: Cell, name: str) -> Problem:
    return _problem(
        context,
        title,
        cell,
        f"The {name} in cell {cell.ref} is a formula, not text (a tool such as pandas writes "
        "text starting with '=' as a formula, which Excel shows as 0 or #NAME?): type it as "
        "text, without the leading '=' (or with an apostrophe before it), and upload again.",
        field=name,
    )


def _read_wide(title, header: _Header, body, context: _Context) -> _Sheet:
    result = _Sheet(title, recognised=True, layout="wide", problems=ProblemList(header.problems))
    months = header.months
    first_month = header.first_month
    records = result.records
    unknown: list[Cell] = []
    known = 0
    for number, cells in body:
        figures = [(column, cell) for column, cell in cells.items() if column in months]
        if not figures:
            continue  # a heading, a note or an empty row: nothing to read
        labels = sorted(column for column in cells if column < first_month)
        measure_cell, code = _measure(cells, labels, context)
        if measure_cell is None:
            result.problems.append(
                _problem(
                    context,
                    title,
                    Cell(title, f"A{number}", None),
                    f"Row {number} has figures but no {context.noun} code or title: type the "
                    "code or title at the start of the row, or delete the row.",
                )
            )
            continue
        if code is None:
            unknown.append(measure_cell)
            continue
        known += 1
        for column, cell in figures:
            period, heading = months[column]
            records.append(Record(measure_cell, code, period, heading, {"value": cell}))

    texts = [cell.value for cell in header.cells.values()] + [cell.value for cell in unknown]
    result.known = known
    _judge_domain(result, known, len(unknown), texts, context)
    if result.other_domain is None:
        result.problems.extend(
            _problem(
                context,
                title,
                cell,
                f"{shown(cell.value)} is not a {context.noun} code or title of this return: "
                "check the spelling, or use the codes in the template.",
            )
            for cell in unknown
        )
    return result


def _judge_domain(result: _Sheet, known: int, unknown: int, texts, context: _Context) -> None:
    """Mark a sheet as another domain's when its words say so and most of its rows are not ours.

    One stray "Budget" row under forty KPIs is a KPI sheet with a typo; a sheet of budget
    lines that happens to share a title with a KPI is still the budget's sheet.
    """
    if known <= unknown:
        domain = context.other_domain(texts)
        if domain is not None:
            result.other_domain = domain
            result.records = []
            result.problems = ProblemList()


def _measure(cells: dict[int, Cell], columns, context: _Context) -> tuple[Cell | None, str | None]:
    """The cell naming the row's measure: the first known label, else the first non-blank one."""
    first = None
    for column in columns:
        cell = cells.get(column)
        if cell is None or cell.is_blank or cell.error is not None:
            continue
        code = context.code(cell)
        if code is not None:
            return cell, code
        if first is None:
            first = cell
    return first, None


def _sheet_period(title, header: _Header, head, context: _Context):
    """(period, cell, problem) for a one-month sheet: a 'Reporting month' cell above the header."""
    for number, cells in head:
        if number >= header.row:
            break
        columns = sorted(cells)
        for position, column in enumerate(columns):
            cell = cells[column]
            if not isinstance(cell.value, str) or _key(cell.value) not in PERIOD_LABELS:
                continue
            if position + 1 == len(columns):
                continue
            source = cells[columns[position + 1]]
            period = context.period(source)
            if period is not None:
                return period, source, None
            fallback = context.marker_period or context.default_period
            problem = _problem(
                context,
                title,
                source,
                f"{shown(source.value)} is not a month: {_ACCEPTED_MONTHS}.",
            )
            return fallback, None, problem
    fallback = (context.marker_period if _is_template(title, context) else None) or (
        context.default_period
    )
    if fallback is not None:
        return fallback, None, None
    named = _named_period(title, context.filename)
    if named is not None:
        # The portal's export of a return's figures says its month only in its name.
        period, where = named
        header_cell = header.cells[header.labels[0]]
        return (
            period,
            None,
            Problem(
                severity=WARNING,
                message=f"The month, {period.long}, was taken from the {where}: this table has "
                "no Period column and no 'Reporting month' above it.",
                file=context.filename,
                sheet=title,
                cell=header_cell.ref,
                period=period.iso,
            ),
        )
    header_cell = header.cells[header.labels[0]]
    return (
        None,
        None,
        _problem(
            context,
            title,
            header_cell,
            "This table has no Period column and no 'Reporting month' above it, so we cannot "
            "tell which month its figures are for: add a Period column (2025-03, Mar-25 or "
            "March 2025).",
        ),
    )


def _refuse_merged_header(merged: list[str], header: _Header, title: str, context: _Context):
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if min_row is None or max_row is None or not min_row <= header.row <= max_row:
            continue
        raise rejected(
            f"{context.filename}: the heading row of sheet '{title}' (row {header.row}) has merged "
            f"cells {ref}: unmerge them (Home > Merge & Center > Unmerge Cells) so each column "
            "has its own heading, and upload again.",
            file=context.filename,
            sheet=title,
            cell=ref,
        )


_NAMED_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s_-]+(\d{4})\b"
    r"|\b(\d{4})-(\d{2})\b",
    re.IGNORECASE,
)


def _named_period(title: str, filename: str) -> tuple[Period, str] | None:
    """The one month a sheet's name, else the file's name, gives ("KPI return March 2025")."""
    for text, where in ((title, "sheet name"), (filename, "file name")):
        found = set()
        for match in _NAMED_MONTH.finditer(text):
            written = f"{match[1]} {match[2]}" if match[1] else f"{match[3]}-{match[4]}"
            try:
                found.add(Period.parse(written))
            except PeriodError:
                continue
        if len(found) == 1:
            return found.pop(), where
    return None


def _is_template(title: str, context: _Context) -> bool:
    return title.strip().lower() == context.spec.template_sheet.strip().lower()


def _template_marker(workbook) -> tuple[str, Period | None] | None:
    try:
        properties = list(workbook.custom_doc_props.props)
    except AttributeError:
        return None
    for prop in properties:
        if getattr(prop, "name", None) == TEMPLATE_PROPERTY and isinstance(prop.value, str):
            domain, _space, month = prop.value.strip().partition(" ")
            try:
                period = Period.parse(month) if month else None
            except PeriodError:
                period = None
            return domain, period
    return None


# --- combining sheets -----------------------------------------------------------------


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _combine(sheets: list[_Sheet], context: _Context, names: list[str]) -> Reading:
    """The records of the sheets that hold the return; every other sheet is left out.

    When some sheet names measures of this return, a sheet that names none (a list of
    children with their dates, a pivot, notes) is left out, not read for errors. Only
    when no sheet names any are the problems of a table headed as a return reported.
    """
    filename = context.filename
    # A wide table is known only by its row labels: with none of ours, months across the
    # top are a pivot's or a list's dates, not a return.
    read = [
        sheet
        for sheet in sheets
        if sheet.recognised
        and sheet.other_domain is None
        and (sheet.known or sheet.layout != "wide")
    ]
    if any(sheet.known for sheet in read):
        read = [sheet for sheet in read if sheet.known]
    if not read:
        reasons = [sheet for sheet in sheets if sheet.not_a_return]
        if reasons:
            raise rejected(f"{filename} {reasons[0].not_a_return}", file=filename)
        for sheet in sheets:
            if sheet.other_domain:
                other = sheet.other_domain
                raise rejected(
                    f"{filename} looks like {_a(other)} {other} return (sheet "
                    f"'{sheet.title}'), not {_a(context.noun)} {context.noun} return: upload it "
                    f"as {_a(other)} {other} return.",
                    file=filename,
                    sheet=sheet.title,
                )
        raise rejected(
            f"We could not find the return in {filename}: no sheet has, in its first "
            f"{HEADER_ROWS} rows, a heading row with a {context.noun} column and Period and "
            f"Value columns, or {context.noun} codes with months as column headings. "
            "Download the template and copy the figures into it, or add a heading row.",
            file=filename,
        )
    problems = ProblemList()
    records: list[Record] = []
    reading = {id(sheet) for sheet in read}  # by identity: a sheet's records may be many
    for sheet in sheets:
        if id(sheet) not in reading and not sheet.other_domain:
            continue
        if sheet.other_domain:
            problems.append(
                Problem(
                    severity=WARNING,
                    message=(
                        f"Sheet '{sheet.title}' looks like a {sheet.other_domain} return, so it "
                        f"was not read: upload it as a {sheet.other_domain} return."
                    ),
                    file=filename,
                    sheet=sheet.title,
                )
            )
        records.extend(sheet.records)
        problems.extend(sheet.problems)
    problems.extend(_duplicates(records, context))
    used = {sheet.title for sheet in read}
    return Reading(
        layout=read[0].layout,
        records=records,
        problems=problems,
        sheets_read=[name for name in names if name in used],
        sheets_left_out=[name for name in names if name not in used],
        header_rows={sheet.title: sheet.header_row for sheet in read},
    )


def _duplicates(records: list[Record], context: _Context) -> ProblemList:
    first: dict[tuple[str, int, int], Cell] = {}
    problems = ProblemList()
    for record in records:
        if record.code is None:
            continue
        where = record.fields.get("value") or record.measure
        period = record.period
        # Year and month rather than the Period: its dataclass __hash__ runs in Python.
        earlier = first.setdefault((record.code, period.year, period.month), where)
        if earlier is where:
            continue
        place = f"cell {earlier.ref}"
        if earlier.sheet != where.sheet:
            place += f" of sheet '{earlier.sheet}'"
        problems.append(
            _problem(
                context,
                where.sheet,
                where,
                f"{record.code} for {record.period.long} is given twice, here and in "
                f"{place}: give each figure once.",
                measure=record.code,
                period=record.period.iso,
            )
        )
    return problems


# --- small helpers --------------------------------------------------------------------


def _problem(context, sheet, cell: Cell, message: str, **where) -> Problem:
    return Problem(
        severity=ERROR, message=message, file=context.filename, sheet=sheet, cell=cell.ref, **where
    )


def _label(value: object) -> str | None:
    if isinstance(value, str):
        return _key(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None
