"""Streaming a worksheet's cells, row by row, straight from its XML.

openpyxl's read-only rows lose two things a return needs (whether a cell holds a
formula Excel never calculated, and its number format without building a cell object
for every blank) and, with defusedxml active, parse through pure-Python ElementTree at
a few microseconds per element. So the workbook is opened with openpyxl (structure,
shared strings, styles, sheet states: all parsed through defusedxml) and each sheet's
cells are streamed here with expat directly, in bounded chunks, keeping only
non-blank cells. Expat is made as strict as defusedxml: a worksheet has no business
declaring a DOCTYPE, so any DOCTYPE or entity declaration is refused outright, and
external entities are never fetched.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

from opb_portal.spreadsheets.cells import Cell, make_cell
from opb_portal.spreadsheets.intake import CHUNK, SAVE_AS_XLSX, Overlong, Refused, strict_parser
from opb_portal.spreadsheets.limits import (
    MAX_CELL_CHARACTERS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    Deadline,
)
from opb_portal.spreadsheets.problems import SpreadsheetRejected, rejected

_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "Strict Open XML"
)
_TAGS = {
    f"{namespace} {local}": local
    for namespace in _NAMESPACES
    for local in ("row", "c", "v", "f", "is", "t", "rPh", "mergeCell")
}
# The tags `_count_first` counts, with and without the `x:` prefix some writers use.
_ROW_TAGS = (b"<row ", b"<row>", b"<x:row ", b"<x:row>")
_CELL_TAGS = (b"<c ", b"<c>", b"<x:c ", b"<x:c>")
_SCAN_CHUNK = 1024 * 1024
_COLUMNS = {get_column_letter(index): index for index in range(1, MAX_COLUMNS + 1)}
_DIGITS = "0123456789"


class SheetRows:
    """The non-blank cells of one read-only worksheet, as (row number, {column: Cell}).

    Iterate once. Blank cells (no value, or only spaces) are left out, so a sheet that
    is mostly empty costs nothing per empty cell. Cells with an Excel error or a formula
    without a saved value are kept: they are problems to report. Merged ranges appear in
    the sheet XML after the cells, so `merged` is complete only once iteration ends.

    Reading stops with `SpreadsheetRejected` past `MAX_ROWS` rows or `MAX_CELLS` cells
    (rows and merged ranges count too, as each costs as much to parse), on a non-blank
    cell beyond column `MAX_COLUMNS` or holding more than `MAX_CELL_CHARACTERS`, or when
    the file's deadline passes (the workbook's, shared by its sheets; see `limits`).
    """

    def __init__(self, sheet, *, filename: str):
        self.sheet = sheet
        self.filename = filename
        self.deadline = getattr(sheet.parent, "deadline", None) or Deadline(filename)
        self.merged: list[str] = []
        # Cells holding a formula whose saved result is 0: pandas (through xlsxwriter)
        # writes a text starting with "=" so, and a commentary must not become "0".
        self.zero_formulas: set[str] = set()
        workbook = sheet.parent
        self._archive = workbook._archive
        self._path = sheet._worksheet_path
        self._shared = sheet._shared_strings
        self._epoch = workbook.epoch
        self._date_styles = workbook._date_formats
        self._timedelta_styles = workbook._timedelta_formats
        self._cell_styles = workbook._cell_styles
        self._custom_formats = workbook._number_formats
        self._styles: dict[str | None, tuple[str, bool, bool]] = {}

    def _style(self, key: str | None) -> tuple[str, bool, bool]:
        """(number format, is a date, is a duration) for a cell's `s` attribute."""
        try:
            index = int(key) if key else 0
            number_format_id = self._cell_styles[index].numFmtId
            if number_format_id < BUILTIN_FORMATS_MAX_SIZE:
                number_format = BUILTIN_FORMATS.get(number_format_id, "General")
            else:
                number_format = self._custom_formats[number_format_id - BUILTIN_FORMATS_MAX_SIZE]
        except (ValueError, IndexError, TypeError, AttributeError):
            found = ("General", False, False)
            self._styles[key] = found
            return found
        found = (number_format, index in self._date_styles, index in self._timedelta_styles)
        self._styles[key] = found
        return found

    def __iter__(self) -> Iterator[tuple[int, dict[int, Cell]]]:
        title = self.sheet.title
        filename = self.filename
        try:
            source = self._archive.open(self._path)
        except Exception as error:
            raise self._damaged(error) from error
        ready: list[tuple[int, dict[int, Cell]]] = []
        parser = self._parser(ready)
        deadline = self.deadline
        try:
            self._count_first()
            with source:
                while True:
                    chunk = source.read(CHUNK)
                    parser.Parse(chunk, not chunk)
                    if ready:
                        yield from ready
                        ready.clear()
                    if not chunk:
                        break
                    deadline.check(sheet=title)
        except SpreadsheetRejected:
            raise
        except Refused as error:
            raise rejected(
                f"{filename} contains XML we refuse to read for safety (a DOCTYPE or entity "
                f"declaration in sheet '{title}'): open it in Excel, {SAVE_AS_XLSX}.",
                file=filename,
                sheet=title,
            ) from error
        except (
            expat.ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            RuntimeError,
            ValueError,
            IndexError,
        ) as error:
            # zipfile reports a bad CRC or truncated data as BadZipFile, a damaged deflate
            # stream as zlib.error; a shared-string index past the table is an IndexError.
            raise self._damaged(error) from error

    def _count_first(self) -> None:
        """Refuse a sheet with too many rows or cells before parsing any of it.

        Counting tags in the unpacked bytes runs at the speed of zlib, a hundred times
        faster than parsing, so a 600,000-row sheet is refused in a fraction of a second.
        It is a quick estimate (a tag split by a prefix other than `x:` goes uncounted):
        the parser's own count, which nothing escapes, stays the rule.
        """
        rows = cells = 0
        tail = b""
        with self._archive.open(self._path) as source:
            while chunk := source.read(_SCAN_CHUNK):
                text = tail + chunk
                rows += sum(map(text.count, _ROW_TAGS))
                cells += sum(map(text.count, _CELL_TAGS))
                if rows > MAX_ROWS:
                    raise _too_many_rows(self.filename, self.sheet.title)
                if rows + cells > MAX_CELLS:
                    raise _too_many_cells(self.filename, self.sheet.title)
                # A tag cut in two by the chunk boundary is counted in the next chunk.
                tail = text[-8:]
                rows -= sum(map(tail.count, _ROW_TAGS))
                cells -= sum(map(tail.count, _CELL_TAGS))
                self.deadline.check(sheet=self.sheet.title)

    def _damaged(self, error: BaseException) -> SpreadsheetRejected:
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        return rejected(
            f"{self.filename} is damaged: sheet '{self.sheet.title}' cannot be read ({reason}). "
            f"Open it in Excel, {SAVE_AS_XLSX}.",
            file=self.filename,
            sheet=self.sheet.title,
        )

    def _parser(self, ready: list) -> expat.XMLParserType:
        title = self.sheet.title
        filename = self.filename
        shared = self._shared
        styles = self._styles
        style_of = self._style
        epoch = self._epoch
        tags = _TAGS
        columns = _COLUMNS
        digits = _DIGITS
        merged = self.merged
        zero_formulas = self.zero_formulas

        # The state of the element being read, in closure variables (the fastest
        # access Python has) rather than attributes.
        row_number = 0
        column = 0
        counted = rows = 0
        row: dict[int, Cell] = {}
        ref = kind = style = None
        has_formula = saw_value = in_inline = in_phonetic = False
        capturing = False
        parts: list[str] = []

        def too_many() -> SpreadsheetRejected:
            # Rows and merged ranges count as cells: each costs as much to parse.
            return _too_many_cells(filename, title)

        def overlong(length: int | None) -> SpreadsheetRejected:
            where = ref or f"in row {row_number}"
            holds = f"{length:,} characters, more than" if length else "a text longer than"
            return rejected(
                f"{filename}: cell {where} of sheet '{title}' holds {holds} the "
                f"{MAX_CELL_CHARACTERS:,} characters a cell of Excel can hold: shorten it and "
                "upload again.",
                file=filename,
                sheet=title,
                cell=ref or "",
            )

        def start(name, attrs):
            nonlocal row_number, column, counted, rows, row, ref, kind, style
            nonlocal has_formula, saw_value, in_inline, in_phonetic, capturing
            local = tags.get(name)
            if local is None:
                return
            if local == "c":
                ref = attrs.get("r")
                kind = attrs.get("t", "n")
                style = attrs.get("s")
                has_formula = saw_value = False
                parts.clear()
            elif local == "v":
                saw_value = capturing = True
            elif local == "f":
                has_formula = True
            elif local == "row":
                counted += 1
                rows += 1
                if counted > MAX_CELLS:
                    raise too_many()
                if rows > MAX_ROWS:
                    raise _too_many_rows(filename, title)
                number = attrs.get("r")
                row_number = int(number) if number else row_number + 1
                column = 0
                row = {}
            elif local == "is":
                in_inline = True
            elif local == "t":
                capturing = in_inline and not in_phonetic
            elif local == "rPh":
                in_phonetic = True
            elif local == "mergeCell":
                counted += 1
                if counted > MAX_CELLS:
                    raise too_many()
                merged.append(attrs.get("ref", ""))

        def end(name):
            nonlocal column, counted, capturing, in_inline, in_phonetic
            local = tags.get(name)
            if local is None:
                return
            if local == "c":
                counted += 1
                if counted > MAX_CELLS:
                    raise too_many()
                if ref:
                    letters = ref.rstrip(digits)
                    index = columns.get(letters)
                    if index is None:
                        index = column_index_from_string(letters)
                    cell_ref = ref
                else:
                    index = column + 1
                    cell_ref = None
                column = index
                text = (parts[0] if len(parts) == 1 else "".join(parts)) if parts else None
                value = error = None
                no_value = False
                number_format = "General"
                if kind == "n":
                    if text:
                        # Decide int or float without raising: an exception per cell
                        # would cost more than the rest of this function.
                        try:
                            if "." in text or "E" in text or "e" in text:
                                value = float(text)
                            else:
                                value = int(text)
                        except ValueError:
                            value = text  # not a number at all: reported as text
                        found = styles.get(style) or style_of(style)
                        number_format = found[0]
                        if found[1] and type(value) is not str:
                            try:  # noqa: SIM105 - suppress() would cost a context manager per date
                                value = from_excel(value, epoch, timedelta=found[2])
                            except (OverflowError, ValueError, TypeError):
                                pass  # not a real date: keep the number that is stored
                    else:
                        no_value = has_formula
                elif kind == "s":
                    if text is None:
                        no_value = has_formula
                    else:
                        value = shared[int(text)]
                        if type(value) is Overlong:
                            raise overlong(value.length)
                elif kind == "inlineStr" or kind == "str":
                    if text is None and not saw_value and kind == "str":
                        no_value = has_formula
                    else:
                        value = text
                        if text is not None and len(text) > MAX_CELL_CHARACTERS:
                            raise overlong(len(text))
                elif kind == "b":
                    if text is None:
                        no_value = has_formula
                    else:
                        value = text.strip() in ("1", "true")
                elif kind == "e":
                    if text is None:
                        no_value = has_formula
                    else:
                        error = value = text
                elif kind == "d":
                    try:
                        value = from_ISO8601(text)
                    except (ValueError, TypeError):
                        value = text
                else:
                    value = text
                if value is None and error is None and not no_value:
                    return
                if type(value) is str and error is None and not value.strip() and not no_value:
                    return
                if index > MAX_COLUMNS:
                    raise rejected(
                        f"{filename} has something in cell {get_column_letter(index)}"
                        f"{row_number} of sheet '{title}', beyond column "
                        f"{get_column_letter(MAX_COLUMNS)} (the {MAX_COLUMNS:,}th): delete what "
                        "lies right of the return and upload it again.",
                        file=filename,
                        sheet=title,
                    )
                if cell_ref is None:
                    cell_ref = f"{get_column_letter(index)}{row_number}"
                if has_formula and value == 0 and type(value) is not str:
                    zero_formulas.add(cell_ref)
                row[index] = make_cell(title, cell_ref, value, number_format, error, no_value)
            elif local == "v":
                capturing = False
            elif local == "row":
                if row:
                    ready.append((row_number, row))
            elif local == "t":
                capturing = False
            elif local == "is":
                in_inline = False
            elif local == "rPh":
                in_phonetic = False

        def data(text):
            if capturing:
                parts.append(text)
                # Text arrives in CHUNK-sized pieces: a second piece is rare enough to
                # measure, and an overlong text is refused before it is all in memory.
                if len(parts) > 1 and sum(map(len, parts)) > MAX_CELL_CHARACTERS:
                    raise overlong(None)

        parser = strict_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        return parser


def _too_many_rows(filename: str, title: str) -> SpreadsheetRejected:
    return rejected(
        f"{filename} has more than {MAX_ROWS:,} rows in sheet '{title}', far more than any "
        "return: delete the rows the return does not need (or upload a few years at a time) "
        "and upload it again.",
        file=filename,
        sheet=title,
    )


def _too_many_cells(filename: str, title: str) -> SpreadsheetRejected:
    return rejected(
        f"{filename} has more than {MAX_CELLS:,} cells in sheet '{title}': delete what "
        "the return does not need and upload it again.",
        file=filename,
        sheet=title,
    )


def sheet_rows(sheet, *, filename: str) -> SheetRows:
    """Stream the non-blank cells of a sheet from `open_workbook` (see `SheetRows`)."""
    return SheetRows(sheet, filename=filename)
