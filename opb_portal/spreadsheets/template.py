"""The downloadable template for one month of a return.

The template is the layout `read_returns` reads best, so the easiest way to send a
return right is to fill it in. Its layout (kept in the constants below, so readers
and documents can point at them):

- sheet "Instructions": the title, the month, the domain's instructions, what we accept;
- sheet `spec.template_sheet`: title in A1, a note in A2, "Reporting month" in A3 with
  the month in B3 ("March 2025"), the header in row 5 (Code, Title, Unit, then one
  column per field of the spec, e.g. Value, Numerator, Denominator, Commentary, then
  Last month) and one row per measure from row 6.

Code, title, unit and last month are locked and the sheet protected without a password:
the protection is against accidents (a code typed over moves a figure to another KPI),
not against people. A custom document property "opb-template" = "<domain> <yyyy-mm>"
marks the file as the portal's template for that domain and month.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from opb_portal.periods import Period
from opb_portal.spreadsheets.layouts import INSTRUCTIONS_SHEET, TEMPLATE_PROPERTY, LayoutSpec
from opb_portal.spreadsheets.limits import MAX_FILE_BYTES
from opb_portal.spreadsheets.problems import write_text

TEMPLATE_PERIOD_LABEL_CELL = "A3"
TEMPLATE_PERIOD_CELL = "B3"
TEMPLATE_HEADER_ROW = 5
TEMPLATE_FIRST_ROW = 6
REFERENCE_COLUMNS = ("Title", "Unit")  # after the code column
LAST_MONTH_HEADING = "Last month"

_LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
_HEADER_FILL = PatternFill("solid", fgColor="DEE0E2")
_THIN = Side(style="thin", color="B1B4B6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {"code": 10, "Title": 55, "Unit": 18, "number": 14, "text": 50, "last": 14}


@dataclass(frozen=True)
class TemplateRow:
    """One measure's row: the strings shown, as the domain wants them shown."""

    code: str
    title: str
    unit_hint: str  # "Percentage: type 85.3 for 85.3%"
    last_value: str  # last month's figure, for reference ("" when there is none)


def write_template(
    *,
    spec: LayoutSpec,
    period: Period,
    title: str,
    instructions: list[str],
    rows: list[TemplateRow],
    percent_codes: frozenset[str],
) -> bytes:
    """The .xlsx template for `period`: what `read_returns` reads back as records, unchanged.

    Value cells carry Excel data validation (0 to 100 for the codes in `percent_codes`,
    0 or more otherwise) so that most mistakes are caught while typing; the portal
    checks everything again on upload, because validation is easy to paste past.
    """
    workbook = Workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_SHEET
    _write_instructions(guide, spec=spec, period=period, title=title, instructions=instructions)
    sheet = workbook.create_sheet(spec.template_sheet)
    _write_return(sheet, spec=spec, period=period, title=title, rows=rows, percent=percent_codes)
    workbook.active = 1
    workbook.custom_doc_props.append(
        StringProperty(name=TEMPLATE_PROPERTY, value=f"{spec.domain} {period.iso}")
    )
    workbook.properties.title = f"{title}: {period.long}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_headings(spec: LayoutSpec) -> list[str]:
    """The template's header row, left to right."""
    measure = "Code" if "code" in spec.measure_headers else spec.measure_headers[0].capitalize()
    fields = [aliases[0].capitalize() for aliases in spec.fields.values()]
    return [measure, *REFERENCE_COLUMNS, *fields, LAST_MONTH_HEADING]


def _write_instructions(sheet, *, spec, period: Period, title: str, instructions: list[str]):
    noun = spec.measure_noun
    fields = ", ".join(aliases[0].capitalize() for aliases in spec.fields.values())
    lines: list[tuple[str, Font | None]] = [
        (title, Font(bold=True, size=14)),
        (f"Reporting month: {period.long}", Font(bold=True)),
        ("", None),
        ("How to fill in this return", Font(bold=True)),
        *((line, None) for line in instructions),
        ("", None),
        ("What the portal accepts", Font(bold=True)),
        (
            f"Type figures in the white cells of the '{spec.template_sheet}' sheet. Grey cells "
            "are locked; Last month is there for reference.",
            None,
        ),
        ("Months: 2025-03, Mar-25, March 2025, or a date cell.", None),
        (
            "Percentages: 85.3, 85.3% or 0.853 in a cell formatted as a percentage all mean 85.3%.",
            None,
        ),
        (
            "Numbers: 1234 or 1,234. Leave a cell empty when there is no figure: do not type "
            "n/a or a dash.",
            None,
        ),
        (
            "Formulas are fine if Excel has calculated and saved them; Excel errors such as "
            "#DIV/0! or #N/A are not figures and are refused.",
            None,
        ),
        (
            f"You may also upload your own table instead: a long table with the columns {noun}, "
            f"Period and {fields} (several months at once), or a wide table with {noun} codes "
            "or titles down the side and months across the top. The heading row must be in "
            "the first 10 rows.",
            None,
        ),
        (
            f"Files: .xlsx only (not .xls, .xlsb, .xlsm or .csv), up to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB, no password, no macros, no hidden sheets, "
            "no links to other workbooks.",
            None,
        ),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        if not text:
            continue
        cell = sheet.cell(row=row, column=1)
        write_text(cell, text)
        cell.alignment = _WRAP
        if font is not None:
            cell.font = font
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


def _write_return(sheet, *, spec, period: Period, title: str, rows, percent: frozenset[str]):
    headings = template_headings(spec)
    field_names = list(spec.fields)
    first_field = 1 + 1 + len(REFERENCE_COLUMNS)  # column of the first field
    last_column = len(headings)

    write_text(sheet["A1"], title)
    sheet["A1"].font = Font(bold=True, size=14)
    write_text(
        sheet["A2"],
        "Type figures in the white cells. Grey cells are locked; Last month is for reference.",
    )
    sheet["A2"].font = Font(italic=True)
    write_text(sheet[TEMPLATE_PERIOD_LABEL_CELL], "Reporting month")
    sheet[TEMPLATE_PERIOD_LABEL_CELL].font = Font(bold=True)
    write_text(sheet[TEMPLATE_PERIOD_CELL], period.long)
    sheet[TEMPLATE_PERIOD_CELL].font = Font(bold=True)

    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=TEMPLATE_HEADER_ROW, column=column)
        write_text(cell, heading)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = _WRAP

    unlocked = Protection(locked=False)
    validations: dict[tuple[str, bool, str], DataValidation] = {}
    for offset, template_row in enumerate(rows):
        row = TEMPLATE_FIRST_ROW + offset
        shown = [template_row.code, template_row.title, template_row.unit_hint]
        for column, text in enumerate(shown, start=1):
            cell = sheet.cell(row=row, column=column)
            write_text(cell, text)
            cell.fill = _LOCKED_FILL
            cell.border = _BOX
            cell.alignment = _WRAP
        for index, name in enumerate(field_names):
            cell = sheet.cell(row=row, column=first_field + index)
            cell.protection = unlocked
            cell.border = _BOX
            if name in spec.text_fields:
                cell.alignment = _WRAP
                continue
            is_percent = name == "value" and template_row.code in percent
            hint = template_row.unit_hint if name == "value" else ""
            key = (name, is_percent, hint)  # one validation per kind of cell, not per cell
            if key not in validations:
                validations[key] = _validation(name, is_percent, hint)
            validations[key].add(cell.coordinate)
        last = sheet.cell(row=row, column=last_column)
        write_text(last, template_row.last_value)
        last.fill = _LOCKED_FILL
        last.border = _BOX
        last.alignment = Alignment(horizontal="right", vertical="top")
    for validation in validations.values():
        sheet.add_data_validation(validation)

    widths = [_WIDTHS["code"], _WIDTHS["Title"], _WIDTHS["Unit"]]
    widths += [_WIDTHS["text" if name in spec.text_fields else "number"] for name in field_names]
    widths.append(_WIDTHS["last"])
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"B{TEMPLATE_FIRST_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people widen columns to read long titles
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _validation(name: str, is_percent: bool, unit_hint: str) -> DataValidation:
    if is_percent:
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            error="Type a percentage between 0 and 100, such as 85.3 for 85.3%.",
        )
    else:
        validation = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            error="Type a number, 0 or more, or leave the cell empty.",
        )
    validation.errorTitle = "Not a figure we expect"
    validation.showErrorMessage = True
    validation.allow_blank = True
    if unit_hint:
        validation.promptTitle = name.capitalize()
        validation.prompt = unit_hint[:255]
        validation.showInputMessage = True
    return validation
