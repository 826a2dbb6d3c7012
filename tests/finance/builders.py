"""Finance returns built in code: whole months as data, and workbooks as Excel saves them."""

import io
from decimal import Decimal

import openpyxl

from finance.models import CostDriver, DriverFigure, FinanceFigure, FinanceLine, FinanceYear
from finance.returns import spec
from opb_portal.periods import FinancialYear
from opb_portal.spreadsheets import TEMPLATE_FIRST_ROW, TEMPLATE_HEADER_ROW, template_headings


def on_plan(start_year: int = 2025, month_of_year: int = 1, **overrides) -> dict:
    """
    A whole month of a year's return with every line on plan: forecasts at budget, the
    actual to date the budget's share of the months gone, drivers at the plan's level.
    `overrides` change some fields of some lines: `PL_RES={"value": "1"}` (hyphens as _).
    """
    year = FinanceYear.objects.get(start_year=start_year)
    data = {}
    for line in year.lines.all():
        actual = (line.budget * month_of_year / 12).quantize(Decimal(1))
        data[line.code] = {
            "actual_to_date": str(actual),
            "value": str(line.budget),
            "commentary": "",
        }
    for driver in year.drivers.all():
        data[driver.code] = {"value": str(driver.plan), "commentary": ""}
    for key, fields in overrides.items():
        code = key.replace("_", "-")
        data[code] = {**data[code], **fields}
    return data


def _excel(value):
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None if value == "" else value


def as_excel(data: dict) -> dict:
    """The figures as Excel holds typed numbers: digits as ints, blanks as None, the rest as is."""
    return {code: {name: _excel(v) for name, v in fields.items()} for code, fields in data.items()}


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filled_template(template: bytes, data: dict) -> bytes:
    """The downloaded template with `data` ({code: {field: value}}) typed into it."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[spec.layout.template_sheet]
    headings = template_headings(spec.layout)
    assert [c.value for c in sheet[TEMPLATE_HEADER_ROW]][: len(headings)] == headings
    columns = {name: 4 + index for index, name in enumerate(spec.layout.fields)}
    for row in sheet.iter_rows(min_row=TEMPLATE_FIRST_ROW):
        for name, value in data.get(row[0].value, {}).items():
            sheet.cell(row=row[0].row, column=columns[name], value=value)
    return save(workbook)


def long_table(rows, *, headings=("Line", "Period", "Actual to date", "Forecast outturn")) -> bytes:
    """A person's own table: one row per line and month."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Finance"
    sheet.append(["Sandwell Children's Trust: monthly finance figures"])
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    return save(workbook)


def long_rows(data: dict, month: str) -> list[tuple]:
    """`data` as long-table rows (line, period, actual, forecast, commentary)."""
    return [
        (code, month, fields.get("actual_to_date"), fields.get("value"), fields.get("commentary"))
        for code, fields in as_excel(data).items()
    ]


def wide_table(rows: dict[str, list], months: list[str]) -> bytes:
    """The tracker finance teams keep: one row per line, one column per month."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Forecast tracker"
    sheet.append(["Line", "Name", *months])
    for code, values in rows.items():
        sheet.append([code, "", *values])
    return save(workbook)


def add_years_before(start_year: int, count: int) -> None:
    """
    `count` more years of plans and monthly figures before `start_year`, copied from its
    plan: history that a page must not read more queries for.
    """
    source = FinanceYear.objects.get(start_year=start_year)
    for offset in range(1, count + 1):
        year = FinanceYear.objects.create(
            start_year=start_year - offset,
            contract_sum=source.contract_sum,
            opening_cumulative_deficit=source.opening_cumulative_deficit,
        )
        lines = FinanceLine.objects.bulk_create(
            FinanceLine(
                year=year,
                code=line.code,
                name=line.name,
                group=line.group,
                budget=line.budget,
                order=line.order,
            )
            for line in source.lines.all()
        )
        drivers = CostDriver.objects.bulk_create(
            CostDriver(year=year, code=d.code, measure=d.measure, plan=d.plan, order=d.order)
            for d in source.drivers.all()
        )
        months = FinancialYear(year.start_year).months()
        FinanceFigure.objects.bulk_create(
            FinanceFigure(
                line=line,
                period=month.first_day,
                actual_to_date=(line.budget * (i + 1) / 12).quantize(Decimal(1)),
                forecast_outturn=line.budget,
            )
            for line in lines
            for i, month in enumerate(months)
        )
        DriverFigure.objects.bulk_create(
            DriverFigure(driver=driver, period=month.first_day, value=driver.plan)
            for driver in drivers
            for month in months
        )
