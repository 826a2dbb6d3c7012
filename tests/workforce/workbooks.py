"""Workbooks as the Trust's people keep them, built with openpyxl."""

import io

import openpyxl

from opb_portal.reference.published import workforce_rows

# March 2025 as the Trust types it: the published table's typed rows and the
# demonstration's (illustrative) caseloads.
MARCH_2025 = {
    "ESTABLISHMENT": "187",
    "PERM_EXCL_ASYE": "114.24",
    "ASYE": "28.0",
    "AGENCY": "37.18",
    "AI_CHILDREN": "1270",
    "AI_FTE": "60.00",
    "CCP_CHILDREN": "754",
    "CCP_FTE": "48.00",
    "CWCF_CHILDREN": "816",
    "CWCF_FTE": "52.00",
}

# The Trust's own table (section (f) of the annual review): label, CSV column, percentage.
TRUST_ROWS = [
    ("Total Workforce - Level Needed", "establishment_fte", False),
    ("Total Social Workers", "total_social_workers", False),
    ("No of permanent Social Workers", "permanent_social_workers", False),
    ("Permanent Excluding ASYE", "permanent_excl_asye", False),
    ("% Permanent (Excl ASYE)", "pct_permanent_excl_asye", True),
    ("Total ASyEs", "asye", False),
    ("% Total ASyEs", "pct_asye", True),
    ("Agency Social Workers", "agency_social_workers", False),
    ("% Agency SWs", "pct_agency", True),
]
SHEET = "Workforce"
HEADER_ROW = 4  # under two title rows and a blank one
FIRST_ROW = HEADER_ROW + 1


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_table(rows: list[tuple], *, period: str = "2025-04") -> bytes:
    """A person's own table: Code, Period, Value, Commentary from row 1; figures from row 2."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(["Code", "Period", "Value", "Commentary"])
    for row in rows:
        code, value, *commentary = row
        sheet.append([code, period, value, commentary[0] if commentary else None])
    return save(workbook)


def month_rows(figures: dict | None = None, **changes) -> list[tuple]:
    """A whole month's lines (March 2025's figures unless given), with some changed or added.

    A change to None drops the line.
    """
    values = dict(figures or MARCH_2025) | changes
    return [(code, value) for code, value in values.items() if value is not None]


def row_of(rows: list[tuple], code: str) -> int:
    """The sheet row of `code` in a long table built from `rows`."""
    return [row[0] for row in rows].index(code) + 2


def trust_table(overrides: dict[tuple[str, str], object] | None = None) -> bytes:
    """
    The Trust's workforce table as it keeps it: title rows, the measures down the side
    labelled exactly as in the annual review, months Mar-24 to Mar-25 across the top,
    percentages as Excel percentages (0.207 shown as 20.7%). `overrides` sets a cell by
    (label, month heading); a percentage as Excel holds it (0.217 for 21.7%).
    """
    overrides = overrides or {}
    rows = workforce_rows()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet["A1"] = "Sandwell Children's Trust"
    sheet["A2"] = "Work-holding Social Workers, March 2024 to March 2025"
    months = [openpyxl_month(row["month"]) for row in rows]
    sheet.cell(row=HEADER_ROW, column=1, value="")
    for column, heading in enumerate(months, start=2):
        sheet.cell(row=HEADER_ROW, column=column, value=heading)
    for offset, (label, column_name, percent) in enumerate(TRUST_ROWS):
        row_number = FIRST_ROW + offset
        sheet.cell(row=row_number, column=1, value=label)
        for column, (heading, row) in enumerate(zip(months, rows, strict=True), start=2):
            value = overrides.get((label, heading))
            if value is None:
                value = _number(row[column_name])
                value = round(value / 100, 6) if percent else value
            cell = sheet.cell(row=row_number, column=column, value=value)
            if percent:
                cell.number_format = "0.0%"
    return save(workbook)


def trust_cell(label: str, heading: str) -> str:
    """The reference of (label, month heading) in `trust_table`."""
    row = FIRST_ROW + [r[0] for r in TRUST_ROWS].index(label)
    months = [openpyxl_month(r["month"]) for r in workforce_rows()]
    column = openpyxl.utils.get_column_letter(months.index(heading) + 2)
    return f"{column}{row}"


def openpyxl_month(iso: str) -> str:
    """`2025-03` as the Trust heads its columns: `Mar-25`."""
    from opb_portal.periods import Period

    return Period.parse(iso).short


def _number(text: str):
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number
