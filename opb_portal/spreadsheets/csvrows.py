"""
A CSV file read as cells, within the workbook intake's limits.

Returns are workbooks only; comparator figures, which councils publish as CSV,
may come as either. A CSV yields the same `Cell`s as `sheet_rows`, so the code
that judges the figures does not know which it read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl.utils import get_column_letter

from .cells import Cell, make_cell
from .intake import OLE2_MAGIC
from .limits import MAX_CELL_CHARACTERS, MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Deadline
from .problems import rejected

# The deadline is looked at every this many rows: a clock read per row would cost more
# than the row.
_ROWS_PER_CHECK = 1000


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
    if b"\x00" in data:
        raise rejected(
            f"{filename} is not a plain text CSV (it holds binary data, or UTF-16 text): in Excel, "
            "Save As 'CSV UTF-8 (Comma delimited)' and upload that.",
            file=filename,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise rejected(
            f"{filename} is not UTF-8 text (byte {error.start + 1} is not): in Excel, Save As "
            "'CSV UTF-8 (Comma delimited)' and upload that.",
            file=filename,
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    counted = 0
    try:
        for number, values in enumerate(reader, start=1):
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
                row[column] = make_cell("", ref, value.strip(), "General", None, False)
            if row:
                yield number, row
    except csv.Error as error:
        raise rejected(
            f"{filename} cannot be read as CSV (line {reader.line_num}: {error}): check its "
            "quotes, or save it again from Excel as 'CSV UTF-8 (Comma delimited)'.",
            file=filename,
        ) from error
