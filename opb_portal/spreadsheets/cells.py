"""Cells as read from a workbook, and turning them into figures and months.

A `Cell` keeps what the sheet holds (the value Excel saved, its number format, an
Excel error, a formula never calculated) together with where it is, so that every
problem can point at the cell. The converters never raise on bad input: they return a
`Problem` to collect, because a return is checked as a whole.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

from opb_portal.periods import Period, PeriodError
from opb_portal.spreadsheets.limits import MAX_NUMBER_CHARACTERS
from opb_portal.spreadsheets.problems import ERROR, Problem

_WIDE = Context(prec=120)  # enough for any figure a cell holds; normalize() must not round
EXCEL_DIGITS = 15
"""Significant digits Excel shows and keeps in a CSV: a double holds up to 17."""
_EXCEL = Context(prec=EXCEL_DIGITS, rounding=ROUND_HALF_UP)
_HUGE = Context(prec=400)  # the largest double, 1.8E+308, written out in full
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?\Z")
# Quoted text, backslash-escaped characters and [Red]/[>=100] sections of a number
# format are shown literally: a "%" there does not make Excel multiply by 100.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: where it is, what Excel saved in it, and how it is shown.

    `value` is the saved value (numbers, text, booleans, datetimes for date-formatted
    numbers); formulas are not read, only the result Excel saved with them, because the
    figure a person approved is the one they saw.
    """

    sheet: str
    ref: str
    value: object
    number_format: str = "General"
    error: str | None = None  # "#DIV/0!", "#N/A", ...: Excel's own error values
    formula_without_value: bool = False  # a formula saved without its result (never calculated)

    @property
    def is_blank(self) -> bool:
        if self.error is not None or self.formula_without_value:
            return False
        value = self.value
        return value is None or (isinstance(value, str) and not value.strip())


_new = object.__new__
_SET_SHEET = Cell.sheet.__set__
_SET_REF = Cell.ref.__set__
_SET_VALUE = Cell.value.__set__
_SET_FORMAT = Cell.number_format.__set__
_SET_ERROR = Cell.error.__set__
_SET_NO_VALUE = Cell.formula_without_value.__set__


def make_cell(sheet, ref, value, number_format, error, formula_without_value) -> Cell:
    """A Cell, built twice as fast as `Cell(...)`, for the sheet reader's inner loop.

    A frozen dataclass's __init__ goes through object.__setattr__ once per field; a
    sheet can hold hundreds of thousands of cells, so the slots are filled directly.
    The result is the same immutable Cell (equal, hashable, picklable).
    """
    cell = _new(Cell)
    _SET_SHEET(cell, sheet)
    _SET_REF(cell, ref)
    _SET_VALUE(cell, value)
    _SET_FORMAT(cell, number_format)
    _SET_ERROR(cell, error)
    _SET_NO_VALUE(cell, formula_without_value)
    return cell


def to_decimal(
    cell: Cell,
    *,
    percent: bool,
    file: str,
    measure: str = "",
    period: str = "",
    field: str = "value",
) -> Decimal | Problem | None:
    """The figure in `cell` as a Decimal, None when the cell is blank, or the Problem with it.

    People type the same figure in several ways and all of them mean what the cell
    shows: 85.3, "85.3", "85.3%" (for a percentage), and 0.853 in a cell formatted as a
    percentage all give Decimal("85.3"). Every number is read as Excel shows it, at 15
    significant digits (`as_excel`), so a computed 87.19999999999999 (or that text in a
    CSV pandas wrote) is 87.2. Signs, ranges and precision are the domain's to judge.
    """

    def problem(message: str) -> Problem:
        return Problem(
            severity=ERROR,
            message=message,
            file=file,
            sheet=cell.sheet,
            cell=cell.ref,
            measure=measure,
            period=period,
            field=field,
        )

    if cell.error is not None:
        return problem(
            f"{shown(cell.error)[1:-1]} is an Excel error, not a figure: fix the formula or "
            "type the value."
        )
    if cell.formula_without_value:
        return problem(
            "This cell has a formula but no saved value: open the file in Excel, let it "
            "calculate, save, and upload again."
        )
    value = cell.value
    kind = type(value)
    if value is None:
        return None
    if kind is int:
        number = Decimal(value)
    elif kind is float:
        if not math.isfinite(value):
            return problem(
                f"{shown(value)} is not a number we can use: type the figure, or leave the "
                "cell empty if there is none."
            )
        if value.is_integer() and abs(value) < 1e15:
            number = Decimal(int(value))
        else:
            text = repr(value)
            # 16 characters with a point and no exponent hold at most 15 digits: the
            # common case, read directly (this is the reader's inner loop).
            short = len(text) <= 16 and "e" not in text
            number = Decimal(text) if short else as_excel(Decimal(text))
    elif kind is str:
        return _text_to_decimal(value, percent=percent, problem=problem)
    elif kind is bool:
        return problem(
            f"{'TRUE' if value else 'FALSE'} is a yes/no value, not a number: type the figure, "
            "or leave the cell empty if there is none."
        )
    elif isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return problem(
            f"{shown(value)} is a date or time, not a number: type the figure (and format "
            "the cell as Number or General)."
        )
    else:
        return problem(
            f"{shown(value)} is not a number: type the figure, or leave the cell empty if "
            "there is none."
        )
    if percent and is_percent_format(cell.number_format):
        # Typing 85.3% makes Excel store 0.853 and show 85.3%: we take what is shown.
        return tidy(number * 100)
    return number


def _text_to_decimal(value: str, *, percent: bool, problem) -> Decimal | Problem | None:
    text = value.strip().replace("\u2212", "-")  # a Unicode minus pasted from Word
    if not text:
        return None
    if text.endswith("%"):
        if not percent:
            return problem(
                f"{shown(value)} has a % sign, but this figure is not a percentage: type the "
                "number without %."
            )
        text = text[:-1].rstrip()
    if len(text) <= MAX_NUMBER_CHARACTERS:
        # Typed text keeps its digits: "86.40" stays 86.40, as the person entered it; only
        # a double written out in full (pandas' to_csv) is cut to what Excel shows.
        if _NUMBER.match(text):
            return _text_as_excel(Decimal(text))
        if _GROUPED.match(text):
            return _text_as_excel(Decimal(text.replace(",", "")))
    return problem(
        f"{shown(value)} is not a number: type the figure, or leave the cell empty if there "
        "is none."
    )


def as_excel(number: Decimal) -> Decimal:
    """`number` at Excel's 15 significant digits, without trailing zeros or exponent.

    A double holds up to 17 significant digits and Excel shows at most 15, so what a
    person sees in the cell (and approved) is the 15-digit figure: 87.19999999999999
    is 87.2, 33.333333333333336 is 33.3333333333333, 0.30000000000000004 is 0.3.
    """
    number = _EXCEL.plus(number).normalize(_WIDE)
    if number.as_tuple().exponent > 0:  # 1E+308 as the whole number a cell can hold
        number = number.quantize(Decimal(1), context=_HUGE)
    return number


def _text_as_excel(number: Decimal) -> Decimal:
    return as_excel(number) if len(number.as_tuple().digits) > EXCEL_DIGITS else number


def as_found(cell: Cell, *, percent: bool) -> str:
    """The figure in `cell` as the file holds it, before it is read at 15 digits.

    A double in full (87.19999999999999), a percentage cell's double times 100: what
    a preview shows beside the figure kept, so that the person recognises it.
    """
    value = cell.value
    if type(value) is float and math.isfinite(value):
        number = Decimal(repr(value))
        if percent and is_percent_format(cell.number_format):
            number *= 100
        return str(tidy(number))
    if isinstance(value, str):
        return value.strip().removesuffix("%").rstrip()
    return str(value)


def fraction_hint(cell: Cell, number: Decimal) -> str | None:
    """`0.872: did you mean 87.2%?` for a fraction in a plain cell of a percentage.

    Excel stores 87.2% as 0.872 and shows it as 87.2% only in a cell formatted as a
    percentage; in a General cell (or a CSV) the person sees 0.872, and the return
    would say 0.872%. None when the cell is formatted as a percentage, its text has a
    % sign, or the figure is not between 0 and 1.
    """
    if not 0 < number < 1 or is_percent_format(cell.number_format):
        return None
    if isinstance(cell.value, str) and cell.value.strip().endswith("%"):
        return None
    return f"{number}: did you mean {tidy(number * 100)}%?"


def to_period(cell: Cell) -> Period | None:
    """The month a cell names: a date cell's month, or text such as 2025-03, Mar-25, March 2025."""
    if cell.error is not None:
        return None
    value = cell.value
    try:
        if isinstance(value, datetime.date):
            return Period.from_date(value)
        if isinstance(value, str):
            return Period.parse(value)
    except PeriodError:
        return None
    return None


def tidy(number: Decimal) -> Decimal:
    """Without trailing zeros or exponent: 85.300 -> 85.3, 85.00 -> 85, 1E+2 -> 100."""
    number = number.normalize(_WIDE)
    if number.as_tuple().exponent > 0:
        number = number.quantize(Decimal(1), context=_WIDE)
    return number


@lru_cache(maxsize=512)
def is_percent_format(number_format: str) -> bool:
    """Whether Excel shows a cell with this format as a percentage (0%, 0.0%, 0.00%;-0.00%)."""
    return "%" in _FORMAT_LITERALS.sub("", number_format or "")


def shown(value: object, *, limit: int = 40) -> str:
    """A found value quoted for a message, short and printable."""
    if isinstance(value, str):
        text = "".join(char if char.isprintable() else " " for char in value.strip())
        if len(text) > limit:
            text = text[: limit - 3] + "..."
        return f"'{text}'"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return str(value)
