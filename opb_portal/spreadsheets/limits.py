"""How much work one uploaded file may cause, and why each limit has its value.

Bytes alone do not bound the work: 5 MB of sheet XML held 600,000 rows and tied a
worker up until it was killed, and 9 MB of shared strings held 3.5 million of them.
So the reader counts what it parses (rows, cells, shared strings and their
characters, distinct codes, problems) and keeps a deadline, and every caller of
`open_workbook`, `sheet_rows`, `csv_rows` and `read_returns` inherits them: the
returns, the comparator import and `manage.py import_return` alike.

Each limit is far above the largest real return (a ten-year history of the
largest domain, about 200 lines x 120 months, is 24,000 rows) and low enough that a
file at the limit is answered in about a second on one core. A file over a limit is
refused as a whole, naming the file (and sheet and cell where there is one) and what
to do, before anything is stored.
"""

from __future__ import annotations

import time

# MAX_PROBLEMS, the problems kept for one file (the rest are counted), is defined beside
# the list that keeps them, in problems.py, and listed here with the others.
from opb_portal.spreadsheets.problems import MAX_PROBLEMS as MAX_PROBLEMS
from opb_portal.spreadsheets.problems import SpreadsheetRejected, rejected

# --- the file itself (decided from the bytes and the zip directory) ------------------

MAX_FILE_BYTES = 10 * 1024 * 1024
"""A return with ten years of figures is under 2 MB; pictures and stray sheets make the rest."""

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
"""What all the parts may unpack to: ten times the file limit, as real workbooks compress."""

MAX_ZIP_ENTRIES = 1000
"""A workbook has a dozen parts plus a few per sheet; thousands means a crafted archive."""

MAX_COMPRESSION_RATIO = 200
"""Real sheet XML compresses 10-40 times; a part far beyond is a zip bomb."""

RATIO_CHECKED_FROM_BYTES = 1024 * 1024
"""Below this size a part cannot do harm however well it compresses, and tiny repetitive
parts (an empty styles list) legitimately exceed the ratio."""

# --- what the sheets hold (counted while streaming, see rows.py and csvrows.py) --------

MAX_ROWS = 60_000
"""Rows of one sheet (every <row>, blank or not): two and a half times the largest real
history (24,000 rows), and above the 50,000-row long table bench/import.py reads. The
600,000-row file that killed a worker is refused after 60,000 rows, in about a second."""

MAX_CELLS = 400_000
"""Cells of one sheet (rows and merged ranges count too: each costs as much to parse): a
50,000-row table of six columns is 350,000. Parsing costs 3-4 microseconds a cell, so the
limit bounds one sheet to about a second and a half."""

MAX_COLUMNS = 1000
"""Ten years of months across is 120 columns; Excel's 16,384 would let one row be huge."""

MAX_CELL_CHARACTERS = 32_767
"""Excel's own limit on a cell: anything longer was not saved by Excel, and the longest
field a return keeps (commentary) is far shorter (see submissions.pipeline)."""

MAX_NUMBER_CHARACTERS = 60
"""A figure typed as text, in a cell or the typed form: more digits than any figure has."""

MAX_SHARED_STRINGS = 50_000
"""Distinct texts of a workbook (Excel keeps each once, in sharedStrings.xml). A return's
texts are its codes, months and one commentary per line and month: a ten-year history
with a comment on every line is under 25,000. 3.5 million made a worker parse for a
minute; 50,000 parse in a quarter of a second."""

MAX_SHARED_STRING_CHARACTERS = 5_000_000
"""Characters of all the distinct texts together: every line of the largest return with
a full 4,000-character commentary every month for a year is under a million."""

MAX_DISTINCT_CODES = 500
"""Distinct measure codes (or titles) named in a return's measure column. The largest
return has about 200 lines; written both as codes and as titles, with some typos, a real
file stays far below. Each unknown label costs a check and a problem to report."""

PARSE_SECONDS = 20.0
"""The reading budget of one file, checked while streaming. The limits above keep any
file to a second or two of work, and a machine so busy that reading takes ten times as
long should still read a real return; but whatever makes a file slower than this (a
shape nobody foresaw) is refused with a message, well inside gunicorn's 120 s timeout
(docs/operations.md), rather than left to kill the worker."""


class Deadline:
    """The moment by which one file must have been read (`PARSE_SECONDS` from its start).

    One deadline spans every sheet of a file, so many sheets cannot each take the
    whole budget. `check` is cheap (one clock read): call it per chunk, not per cell.
    """

    def __init__(self, filename: str, *, seconds: float | None = None):
        self.filename = filename
        self.seconds = PARSE_SECONDS if seconds is None else seconds
        self.at = time.monotonic() + self.seconds

    def check(self, *, sheet: str = "") -> None:
        """Raise `SpreadsheetRejected` if the budget is spent."""
        if time.monotonic() > self.at:
            raise self.spent(sheet=sheet)

    def spent(self, *, sheet: str = "") -> SpreadsheetRejected:
        where = f" (we had reached sheet '{sheet}')" if sheet else ""
        return rejected(
            f"{self.filename} took longer than the {self.seconds:g} seconds we allow to read "
            f"a file{where}, so it was not read: delete the sheets, rows and columns the return "
            "does not need (or copy the return into the template), and upload it again.",
            file=self.filename,
            sheet=sheet,
        )
