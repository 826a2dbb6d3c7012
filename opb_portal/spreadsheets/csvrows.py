"""
A CSV file read as cells, within the workbook intake's limits.

Returns and comparator figures may come as CSV as well as workbooks. A CSV yields
the same `Cell`s as `sheet_rows`, so the code that judges the figures does not know
which it read. It is read as Excel and LibreOffice Calc write it: UTF-8 with or
without a byte order mark, or Windows-1252 (Excel's "CSV (Comma delimited)" on
Windows, where `£` and curly quotes are single bytes); separated by commas or
semicolons (sniffed from the first rows, or Excel's `sep=;` line); CRLF or LF.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

from openpyxl.utils import get_column_letter

from .cells import Cell, make_cell
from .intake import OLE2_MAGIC
from .limits import MAX_CELL_CHARACTERS, MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Deadline
from .problems import rejected

# The deadline is looked at every this many rows: a clock read per row would cost more
# than the row.
_ROWS_PER_CHECK = 1000
SEPARATORS = (",", ";", "\t")
# Rows looked at to decide the separator: enough to see past title rows above a table.
_SNIFFED_ROWS = 20
# A text starting with one of these after a quote was escaped by an export (ours, or
# `opb_portal.exports.csv_text`): the quote is not part of the text.
FORMULA_STARTS = ("=", "+", "-", "@")
_ESCAPED = tuple("'" + start for start in FORMULA_STARTS)


def is_csv(data: bytes, filename: str) -> bool:
    # Judged by the bytes as well as the name: a workbook named .csv is still a workbook.
    return filename.lower().endswith(".csv") and not data.startswith((b"PK", OLE2_MAGIC))


def csv_rows(
    data: bytes, *, filename: str, deadline: Deadline | None = None
) -> Iterator[tuple[int, dict[int, Cell]]]:
    """A CSV's non-blank cells as (row, {column: Cell}), within the workbook intake's limits.

    The same `limits` as a sheet: bytes, rows, cells, columns, the length of a cell, and
    the deadline (`PARSE_SECONDS` from the first row read, unless one is given).
    """
    deadline = deadline or Deadline(filename)
    if not data:
        raise rejected(f"{filename} is empty (0 bytes): choose the file again.", file=filename)
    if len(data) > MAX_FILE_BYTES:
        raise rejected(
            f"{filename} is {len(data) / (1024 * 1024):.1f} MB, over the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit: split it and upload each part.",
            file=filename,
        )
    text = decode_csv(data, filename=filename)
    separator, skip = sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    if skip:
        next(reader, None)  # Excel's "sep=;" line says how to read the rest, and is not a row
    counted = 0
    try:
        for number, values in enumerate(reader, start=1 + skip):
            if number > MAX_ROWS:
                raise rejected(
                    f"{filename} has more than {MAX_ROWS:,} rows, far more than any import "
                    "needs: split it and upload each part.",
                    file=filename,
                )
            if number % _ROWS_PER_CHECK == 0:
                deadline.check()
            counted += len(values) + 1  # a row costs as much as a cell, as in sheet_rows
            if counted > MAX_CELLS:
                raise rejected(
                    f"{filename} has more than {MAX_CELLS:,} cells: split it and upload each part.",
                    file=filename,
                )
            row = {}
            for column, value in enumerate(values, start=1):
                if not value.strip():
                    continue
                if column > MAX_COLUMNS:
                    raise rejected(
                        f"{filename} has something in column {column:,} of row {number}, beyond "
                        f"the {MAX_COLUMNS:,} columns allowed: delete it and upload again.",
                        file=filename,
                    )
                ref = f"{get_column_letter(column)}{number}"
                if len(value) > MAX_CELL_CHARACTERS:
                    raise rejected(
                        f"{filename}: cell {ref} (row {number}, column {column}) holds "
                        f"{len(value):,} characters, more than the {MAX_CELL_CHARACTERS:,} a "
                        "cell of Excel can hold: shorten it and upload again.",
                        file=filename,
                        cell=ref,
                    )
                value = value.strip()
                if value.startswith(_ESCAPED):
                    value = value[1:]
                row[column] = make_cell("", ref, value, "General", None, False)
            if row:
                yield number, row
    except csv.Error as error:
        raise rejected(
            f"{filename} cannot be read as CSV (line {reader.line_num + skip}: {error}): check "
            "its quotes, or save it again from Excel as 'CSV UTF-8 (Comma delimited)'.",
            file=filename,
        ) from error


def decode_csv(data: bytes, *, filename: str) -> str:
    """The file as text: UTF-8 (with or without a byte order mark), UTF-16 with one (Excel's
    "Unicode Text"), else Windows-1252, Excel's default on Windows."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _not_text(filename) from error
    if b"\x00" in data:
        raise _not_text(filename)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise rejected(
            f"{filename} is neither UTF-8 nor Windows-1252 text (byte {error.start + 1} is "
            "neither): in Excel, Save As 'CSV UTF-8 (Comma delimited)' and upload that.",
            file=filename,
        ) from error


def sniff(text: str) -> tuple[str, int]:
    """(separator, lines to skip): Excel's `sep=` line if there is one, else the separator
    that splits the first rows most consistently into most columns (a comma on a tie).

    A semicolon file may hold decimal commas (`85,3`), and a comma file semicolons in
    its commentary, so counting characters is not enough: the separator is the one
    under which most of the first rows have the same number of fields, weighed by it.
    """
    first = text[:2000].split("\n", 1)[0].strip().lower()
    if first.startswith("sep=") and len(first) == 5 and first[4] in SEPARATORS:
        return first[4], 1
    sample = "\n".join(text[:65536].splitlines()[:_SNIFFED_ROWS])
    best, best_score = ",", 0
    for separator in SEPARATORS:
        try:
            counts = Counter(
                len(row)
                for row in csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
                if any(value.strip() for value in row)
            )
        except csv.Error:
            continue
        score = max(((fields - 1) * times for fields, times in counts.items()), default=0)
        if score > best_score:
            best, best_score = separator, score
    return best, 0


def _not_text(filename: str):
    return rejected(
        f"{filename} is not a plain text CSV (it holds binary data): in Excel, Save As "
        "'CSV UTF-8 (Comma delimited)' and upload that.",
        file=filename,
    )
