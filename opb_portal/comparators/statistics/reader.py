"""
An explore-education-statistics (EES) underlying-data CSV, read row by row.

EES publishes "tidy" CSVs: a header of geography columns (`GEOGRAPHY`), then filter and
indicator columns, one row per time period, place and combination of filters. They run
to several hundred thousand rows, so the file is never held as text: it is decoded in
chunks as the csv module asks for lines, and each row is handed on and forgotten. What
is kept is what the mappings select (`mapping.py`).

Encodings as the portal's other CSVs (`spreadsheets.csvrows`): UTF-8 with or without a
byte order mark, UTF-16 with one, else Windows-1252. UTF-8 is checked over the whole
file first, in chunks (fast, and it holds nothing), so a file is never half read as one
encoding and then as another. CRLF or LF. EES files are comma-separated: no sniffing.

Its limits are below (`MAX_FILE_BYTES`, `MAX_ROWS`, `MAX_COLUMNS`, `READ_SECONDS`), each
with why it has its value, as `spreadsheets.limits` keeps the workbooks': a file over one
is refused as a whole, naming the file, before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from opb_portal.spreadsheets.intake import OLE2_MAGIC
from opb_portal.spreadsheets.limits import Deadline
from opb_portal.spreadsheets.problems import rejected

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The largest EES underlying-data files the portal's publications have (children in need
by characteristics, every authority and year) are 30-60 MB; returns' 10 MB would refuse them."""

MAX_ROWS = 2_000_000
"""Data rows: a 100 MB file of short rows is about 1.2 million. Counted as read."""

MAX_COLUMNS = 300
"""EES files have 10 geography columns and tens of filters and indicators; a row of
thousands is not a statistics table."""

READ_SECONDS = 90.0
"""The reading budget of one file, checked every `_ROWS_PER_CHECK` rows. A 4 MB file reads
in well under a second and 100 MB in about 20 seconds (bench/statistics_import.py); a
busy machine gets four times that, inside gunicorn's 120 s timeout (docs/operations.md)."""

_ROWS_PER_CHECK = 5000
_CHUNK = 1024 * 1024

# The columns every EES file of local authority figures has, in the order it lists them.
GEOGRAPHY = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"
LEVELS = (NATIONAL, REGIONAL, LOCAL_AUTHORITY)


@dataclass
class EesFile:
    """An opened file: its header (`columns`: name -> position) and its rows, streamed."""

    filename: str
    header: list[str]
    columns: dict[str, int]
    encoding: str
    _rows: Iterator[tuple[int, list[str]]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells): row 1 is the header, as a spreadsheet numbers it."""
        return self._rows

    def where(self, number: int, column: str) -> str:
        """ "row 12, column rate_per_10000": where a problem is, in the file's own words."""
        return f"row {number:,}, column {column}"


def open_ees(
    source: bytes | BinaryIO, *, filename: str, deadline: Deadline | None = None
) -> EesFile:
    """
    Open an EES CSV from its bytes or a seekable binary file: check its size, encoding
    and header, and return it with its rows still to be read. Raises `SpreadsheetRejected`
    naming the file for a file that is not an EES CSV or is over a limit.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if not size:
        raise rejected(f"{filename} is empty (0 bytes): choose the file again.", file=filename)
    if size > MAX_FILE_BYTES:
        raise rejected(
            f"{filename} is {size / (1024 * 1024):.1f} MB, over the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit for a statistics file: download the "
            "table for fewer years or filters and import each part.",
            file=filename,
        )
    start = stream.read(8)
    stream.seek(0)
    if start.startswith((b"PK", OLE2_MAGIC)):
        raise rejected(
            f"{filename} is a workbook, not a CSV: import the underlying data CSV as "
            "explore-education-statistics downloads it (Download data, CSV).",
            file=filename,
        )
    encoding = _encoding(stream, start, filename=filename)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
    except (csv.Error, UnicodeDecodeError) as error:
        raise _unreadable(filename, 1, error) from error
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        columns.setdefault(name, position)
    missing = [name for name in GEOGRAPHY if name not in columns]
    if missing:
        found = ", ".join(header[:12]) + (", …" if len(header) > 12 else "")
        raise rejected(
            f"{filename} is not an explore-education-statistics CSV: its first row has no "
            f"{', '.join(missing)} column{'s' if len(missing) > 1 else ''}. Expected the "
            f"columns {', '.join(GEOGRAPHY)} and then the filters and indicators "
            f"(found: {found or 'nothing'}).",
            file=filename,
        )
    if len(header) > MAX_COLUMNS:
        raise rejected(
            f"{filename} has {len(header):,} columns, more than the {MAX_COLUMNS} a statistics "
            "table has: download the table again from explore-education-statistics.",
            file=filename,
        )
    deadline = deadline or Deadline(filename, seconds=READ_SECONDS)
    return EesFile(
        filename=filename,
        header=header,
        columns=columns,
        encoding=encoding,
        _rows=_rows(reader, filename=filename, deadline=deadline, width=len(header)),
    )


def _rows(reader, *, filename: str, deadline: Deadline, width: int):
    number = 1
    try:
        for cells in reader:
            number += 1
            if number % _ROWS_PER_CHECK == 0:
                deadline.check()
                if number - 1 > MAX_ROWS:
                    raise rejected(
                        f"{filename} has more than {MAX_ROWS:,} rows: download the table for "
                        "fewer years or filters and import each part.",
                        file=filename,
                    )
            if len(cells) != width:
                if not any(cell.strip() for cell in cells):
                    continue  # a blank line, as some editors leave at the end
                if len(cells) > MAX_COLUMNS:
                    raise rejected(
                        f"{filename}, row {number:,} has {len(cells):,} cells, more than the "
                        f"{MAX_COLUMNS} a statistics table has.",
                        file=filename,
                    )
                # A short row's missing cells are blank, as a spreadsheet reads them.
                cells = (cells + [""] * width)[:width] if len(cells) < width else cells
            yield number, cells
    except (csv.Error, UnicodeDecodeError) as error:
        raise _unreadable(filename, number + 1, error) from error


def _unreadable(filename: str, number: int, error: Exception):
    return rejected(
        f"{filename} cannot be read as CSV (row {number:,}: {error}): download it again from "
        "explore-education-statistics, or save it from Excel as 'CSV UTF-8 (Comma delimited)'.",
        file=filename,
    )


def _encoding(stream: BinaryIO, start: bytes, *, filename: str) -> str:
    """UTF-16 or UTF-8 by their byte order marks, else UTF-8 if every byte of the file is
    (checked a chunk at a time, holding nothing), else Windows-1252."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, offset = True, 0
    while chunk := stream.read(_CHUNK):
        if b"\x00" in chunk:
            stream.seek(0)
            raise rejected(
                f"{filename} is not a plain text CSV (it holds binary data): download the "
                "underlying data CSV from explore-education-statistics again.",
                file=filename,
            )
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if not utf8:
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError as error:
                stream.seek(0)
                raise rejected(
                    f"{filename} is neither UTF-8 nor Windows-1252 text (byte "
                    f"{offset + error.start + 1:,} is neither): save it as 'CSV UTF-8 (Comma "
                    "delimited)' and import that.",
                    file=filename,
                ) from error
        offset += len(chunk)
    stream.seek(0)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return "utf-8-sig" if utf8 else "cp1252"
