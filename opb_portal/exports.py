"""
The one way a table leaves the portal as a file: `Export(...).to_xlsx()` / `.to_csv()`.

Every listing (a return's figures, and each table a domain app adds to its
pages) builds an `Export` with the same
columns as on screen plus the full-precision figures, and a small view returns
`export.response(fmt)`. Nothing else in the portal writes xlsx or CSV for download.

Every view that hands out a file of figures (these tables, a return's uploaded
workbook, the board pack PDFs) is wrapped in `audited_export`: one "export"
line in the audit log says who took which file.

Text that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
`@`, a tab or a carriage return) is written as text, never as a formula: in
CSV with a leading single quote, in xlsx as a cell whose type is string, which
Excel never evaluates. Commentary typed by anyone can contain
`=HYPERLINK("http://example.com","x")`; opening the download must not run it.
Numbers (Decimal, int) stay numbers in both formats, written with every digit.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import Message
from functools import wraps

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from .core.audit import log_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# What makes Excel, LibreOffice or Google Sheets treat a cell as a formula or a command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these; openpyxl refuses them rather than write a broken file.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Cell = str | int | Decimal | datetime.date | None


@dataclass(frozen=True)
class Column:
    """A column: its heading, and an optional number format for the xlsx (e.g. `0.00`)."""

    title: str
    number_format: str = ""


@dataclass
class Export:
    """
    One table as a downloadable file.

    `title` names the sheet and the file (`KPI scorecard March 2025` gives
    `kpi-scorecard-march-2025.xlsx`); `columns` are headings (text or `Column`);
    each row holds one cell per column: text, a number (Decimal or int, never
    float: the figure is written exactly as stored), a date, or None for empty.
    """

    title: str
    columns: list[str | Column]
    rows: list[list[Cell]] = field(default_factory=list)

    def __post_init__(self):
        self.columns = [c if isinstance(c, Column) else Column(c) for c in self.columns]
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"Row {number} of {self.title!r} has {len(row)} cells "
                    f"for {len(self.columns)} columns."
                )
            if any(isinstance(value, float) for value in row):
                raise TypeError(f"Row {number} of {self.title!r} holds a float: use Decimal.")

    @property
    def filename_stem(self) -> str:
        return slugify(self.title) or "export"

    # --- writing ---------------------------------------------------------------------

    def to_csv(self) -> bytes:
        """UTF-8 with a byte order mark, so Excel reads £ and ≥ correctly; CRLF line ends."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([csv_text(column.title) for column in self.columns])
        for row in self.rows:
            writer.writerow([_csv_cell(value) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def to_xlsx(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _sheet_title(self.title)
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index)
            _set_text(cell, column.title)
            cell.font = Font(bold=True)
        for row_number, row in enumerate(self.rows, start=2):
            for index, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=index)
                if isinstance(value, str):
                    _set_text(cell, value)
                elif value is not None:
                    cell.value = value
                    if self.columns[index - 1].number_format:
                        cell.number_format = self.columns[index - 1].number_format
        sheet.freeze_panes = "A2"
        for index, column in enumerate(self.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, max(10, len(column.title) + 2))
        # Fixed document properties: the same table always gives the same file.
        workbook.properties.creator = "OPB portal"
        workbook.properties.created = workbook.properties.modified = datetime.datetime(2000, 1, 1)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def response(self, fmt: str) -> HttpResponse:
        """The file as a download; a format other than xlsx or csv is a 404."""
        if fmt not in FORMATS:
            raise Http404(f"Downloads come as {' or '.join(FORMATS)}, not {fmt!r}.")
        body, content_type = (self.to_xlsx(), XLSX) if fmt == "xlsx" else (self.to_csv(), CSV)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.filename_stem}.{fmt}"
        )
        return response


# --- auditing --------------------------------------------------------------------------


def audited_export(view):
    """
    View decorator: an "export" audit line (who, their organisation, which file, from
    which page) for every file of figures the view hands out.

    Only a file actually given is logged: a refusal has its own line (403), and a
    404 or a bad month hands nothing out, nor does a page without a file (a document made
    as a job: the page asking for it; the job's result is audited where it is handed out).
    Put it under `@require`.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and response.has_header("Content-Disposition"):
            log_event(
                "export",
                request=request,
                what=download_name(response),
                view=request.resolver_match.view_name if request.resolver_match else "",
                content_type=response.get("Content-Type", ""),
                bytes=_size(response),
            )
        return response

    wrapped.audited_export = True
    return wrapped


def download_name(response: HttpResponse) -> str:
    """The file name a response offers (RFC 6266, `filename*` included), or ''."""
    header = Message()
    header["Content-Disposition"] = response.get("Content-Disposition", "")
    return header.get_filename() or ""


def _size(response: HttpResponse) -> int | None:
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    return None if response.streaming else len(response.content)


# --- escaping ------------------------------------------------------------------------


def csv_text(text: str) -> str:
    """Text for a CSV cell: a leading quote stops a spreadsheet reading it as a formula."""
    text = _ILLEGAL_XML.sub("", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # 1E+1 would be read as text by some readers
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _set_text(cell, text: str) -> None:
    """A string cell, whatever the text: openpyxl would make `=...` a formula by itself."""
    cell.value = _ILLEGAL_XML.sub("", text)
    cell.data_type = "s"


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_FORBIDDEN.sub(" ", title)[:_SHEET_TITLE_MAX].strip() or "Export"
