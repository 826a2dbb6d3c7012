"""The copy of an upload the portal keeps: only what it read.

A workbook's other sheets may hold child-level or staff-level data (a list of children
with their dates of birth, workers' names) that the return was worked out from. The
portal has no need of it, so it never keeps it: the copy it stores holds the sheets the
return was read from, cell by cell (values and number formats, no formulas, comments,
names, properties or other sheets), and a CSV the rows down to its heading row and
those that gave figures. Read again, the copy gives the same records as the original.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.custom import StringProperty

from opb_portal.spreadsheets.csvrows import FORMULA_STARTS, csv_rows, is_csv
from opb_portal.spreadsheets.intake import open_workbook
from opb_portal.spreadsheets.layouts import TEMPLATE_PROPERTY, Reading
from opb_portal.spreadsheets.rows import SheetRows

_ROW = re.compile(r"\d+\Z")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")


def kept_copy(data: bytes, *, filename: str, reading: Reading) -> bytes:
    """The bytes to store for an upload that `reading` was read from (see the module)."""
    if is_csv(data, filename):
        return _kept_csv(data, filename=filename, reading=reading)
    return _kept_workbook(data, filename=filename, sheets=reading.sheets_read)


def _kept_workbook(data: bytes, *, filename: str, sheets: list[str]) -> bytes:
    source = open_workbook(data, filename=filename)
    copy = openpyxl.Workbook(write_only=True)
    try:
        for prop in getattr(source.custom_doc_props, "props", []):
            # The template's marker says which month a template sheet is for: kept, the
            # only property that is (the others may name people).
            if getattr(prop, "name", None) == TEMPLATE_PROPERTY and isinstance(prop.value, str):
                copy.custom_doc_props.append(
                    StringProperty(name=TEMPLATE_PROPERTY, value=prop.value)
                )
        for title in sheets:
            sheet = copy.create_sheet(title)
            written = 0
            for number, cells in SheetRows(source[title], filename=filename):
                while written < number - 1:
                    sheet.append([])
                    written += 1
                row = [None] * max(cells)
                for column, cell in cells.items():
                    if cell.formula_without_value:
                        continue
                    out = WriteOnlyCell(sheet, value=cell.error or cell.value)
                    if cell.error is not None:
                        out.data_type = "e"
                    elif isinstance(cell.value, str):
                        out.data_type = "s"  # text, never a formula, whatever it starts with
                    out.number_format = cell.number_format
                    row[column - 1] = out
                sheet.append(row)
                written += 1
    finally:
        source.close()
    buffer = io.BytesIO()
    copy.save(buffer)
    return buffer.getvalue()


def _kept_csv(data: bytes, *, filename: str, reading: Reading) -> bytes:
    heading = reading.header_rows.get("", 0)
    wanted = {int(_ROW.search(record.measure.ref)[0]) for record in reading.records}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, cells in csv_rows(data, filename=filename):
        if number > heading and number not in wanted:
            continue
        row = [""] * max(cells)
        for column, cell in cells.items():
            row[column - 1] = _csv_value(cell.value)
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(text: str) -> str:
    """Text as `csv_rows` reads it back, and as no spreadsheet runs it: `'=...`."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text
