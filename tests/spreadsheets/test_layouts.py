import dataclasses
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from opb_portal.periods import Period
from opb_portal.spreadsheets import (
    Problem,
    SpreadsheetRejected,
    TemplateRow,
    read_returns,
    to_decimal,
    write_template,
)

from .builders import KPI_SPEC, march, xlsx

TITLE_ROWS = [["Sandwell Children's Trust: KPI figures"], ["Prepared by the performance team"]]


def read(data: bytes, **options):
    return read_returns(data, filename="returns.xlsx", spec=KPI_SPEC, **options)


def figures(reading, field="value"):
    """(code, period, figure) for every record, figures read as the domain would read them."""
    return [
        (
            record.code,
            record.period.iso,
            to_decimal(record.fields[field], percent=record.code == "PI1", file="returns.xlsx"),
        )
        for record in reading.records
    ]


def errors(reading) -> list[Problem]:
    return [problem for problem in reading.problems if problem.severity == "error"]


# --- template -------------------------------------------------------------------------


def template(**changes) -> bytes:
    options = {
        "spec": KPI_SPEC,
        "period": Period(2025, 3),
        "title": "KPI return",
        "instructions": ["Fill in every KPI."],
        "rows": [
            TemplateRow("PI1", "Percentage of visits on time", "Percentage", "84.0"),
            TemplateRow("PI2", "Children seen alone", "Count", "12"),
            TemplateRow("PI3", "Re-referrals within 12 months", "Percentage", ""),
        ],
        "percent_codes": frozenset({"PI1", "PI3"}),
    }
    options.update(changes)
    return write_template(**options)


def fill(data: bytes, values: dict[str, object], formats: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["KPI return"]
    for ref, value in values.items():
        sheet[ref] = value
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_filled_in_template_reads_back_as_one_record_per_measure():
    data = fill(
        template(),
        {"D6": 0.853, "E6": 853, "F6": 1000, "G6": "Better than February", "D7": "1,234"},
        formats={"D6": "0.0%"},
    )

    reading = read(data)

    assert reading.layout == "template"
    assert reading.problems == []
    assert figures(reading) == [
        ("PI1", "2025-03", Decimal("85.3")),
        ("PI2", "2025-03", Decimal("1234")),
        ("PI3", "2025-03", None),  # left blank: the domain decides whether that is missing
    ]
    first = reading.records[0]
    assert first.measure.ref == "A6"
    assert first.period_cell.ref == "B3"
    assert first.fields["commentary"].value == "Better than February"
    assert to_decimal(first.fields["numerator"], percent=False, file="f") == Decimal("853")
    assert reading.records[2].fields["value"].ref == "D8"  # a blank cell still says where


def test_a_template_for_another_domain_is_refused_with_what_to_do():
    finance = dataclasses.replace(KPI_SPEC, domain="finance")

    with pytest.raises(SpreadsheetRejected, match="is the portal's finance template"):
        read(template(spec=finance))


# --- long tables ----------------------------------------------------------------------


def long_table() -> bytes:
    return xlsx(
        {
            "Monthly KPIs": [
                *TITLE_ROWS,
                [],
                ["  vALUE ", "Commentary", "kpi ", "Numerator", "PERIOD", "Notes"],
                [85.3, "On track", "PI1", 853, "2025-03", ""],
                [86, None, "pi1", 860, "Apr-25", "checked"],
                [87.5, None, "PI1", None, "May 2025", None],
                [12, None, "PI2", None, march(), None],
                [13, None, "Children seen alone", None, datetime.datetime(2025, 4, 30), None],
                [None, None, None, None, None, None],
                [14, None, "PI2", None, "Smarch 2025", None],
                [15, None, None, None, "2025-03", None],
                [16, None, "PI3", None, None, None],
                [None, None, "Figures are provisional", None, None, None],
            ]
        }
    )


def test_a_long_table_under_title_rows_reads_in_any_column_order_and_case():
    reading = read(long_table())

    assert reading.layout == "long"
    assert figures(reading) == [
        ("PI1", "2025-03", Decimal("85.3")),
        ("PI1", "2025-04", Decimal("86")),
        ("PI1", "2025-05", Decimal("87.5")),
        ("PI2", "2025-03", Decimal("12")),
        ("PI2", "2025-04", Decimal("13")),
    ]
    assert reading.records[0].fields["commentary"].value == "On track"
    assert reading.records[0].period_cell.ref == "E5"


def test_a_long_table_names_the_cell_of_every_problem():
    reading = read(long_table())

    found = {(problem.cell, problem.severity): problem.message for problem in reading.problems}
    assert found[("E11", "error")] == (
        "'Smarch 2025' is not a month: write it as 2025-03, Mar-25 or March 2025, "
        "or use a date cell."
    )
    assert found[("C12", "error")].startswith("Row 12 has figures but no KPI code")
    assert found[("E13", "error")].startswith("The month is missing for 'PI3'")
    assert found[("F4", "warning")].startswith("The column heading 'Notes' is not one we read")
    assert all(problem.file == "returns.xlsx" for problem in reading.problems)
    assert all(problem.sheet == "Monthly KPIs" for problem in reading.problems)
    assert len(reading.problems) == 4


def test_a_long_table_without_periods_takes_the_month_given_by_the_page():
    data = xlsx({"Sheet1": [["Code", "Value"], ["PI1", 85.3], ["PI2", 12]]})

    reading = read(data, default_period=Period(2025, 3))
    refused = read(data)

    assert figures(reading) == [
        ("PI1", "2025-03", Decimal("85.3")),
        ("PI2", "2025-03", Decimal("12")),
    ]
    assert reading.records[0].period_cell is None
    assert refused.records == []
    assert "no Period column and no 'Reporting month'" in refused.problems[0].message


def test_a_long_table_with_an_unknown_code_leaves_it_to_the_domain():
    reading = read(xlsx({"Data": [["KPI", "Period", "Value"], ["PI99", "2025-03", 4]]}))

    assert [(record.code, record.measure.value) for record in reading.records] == [(None, "PI99")]
    assert reading.problems == []


def test_two_columns_with_the_same_heading_are_reported():
    reading = read(
        xlsx({"Data": [["KPI", "Period", "Value", "value"], ["PI1", "2025-03", 85.3, 90]]})
    )

    assert [(problem.cell, problem.message) for problem in reading.problems] == [
        ("D1", "There are two 'Value' columns, C1 and D1: keep one, so that we know which to read.")
    ]
    assert figures(reading) == [("PI1", "2025-03", Decimal("85.3"))]


def test_the_same_figure_given_twice_is_reported_at_the_second():
    reading = read(
        xlsx({"Data": [["KPI", "Period", "Value"], ["PI1", "2025-03", 85], ["PI1", "Mar-25", 86]]})
    )

    assert [(problem.cell, problem.message) for problem in errors(reading)] == [
        ("C3", "PI1 for March 2025 is given twice, here and in cell C2: give each figure once.")
    ]


# --- wide tables ----------------------------------------------------------------------


def wide_table() -> bytes:
    return xlsx(
        {
            "KPI history": [
                *TITLE_ROWS,
                [],
                ["Code", "Title", "Mar-25", "April 2025", "2025-05", march(), "Target", "Marc-25"],
                ["PI1", "Percentage of visits on time", 85.3, "86%", 0.87, None, 90, 1],
                [None, "Children seen alone", 12, 13, None, 15, None, None],
                ["PI3", "Re-referrals within 12 months", None, None, None, None, None, None],
                ["PI99", "Something else", 1, None, None, None, None, None],
                ["Source: case management system", None, None, None, None, None, None, None],
            ]
        },
        formats={("KPI history", "E5"): "0%"},
    )


def test_a_wide_table_reads_months_in_every_format_with_codes_or_titles():
    reading = read(wide_table())

    assert reading.layout == "wide"
    assert figures(reading) == [
        ("PI1", "2025-03", Decimal("85.3")),
        ("PI1", "2025-04", Decimal("86")),
        ("PI1", "2025-05", Decimal("87")),
        ("PI2", "2025-03", Decimal("12")),
        ("PI2", "2025-04", Decimal("13")),
    ]  # F6 sits under a second "March 2025" column: reported, not read
    assert reading.records[0].period_cell.ref == "C4"
    assert reading.records[3].measure.ref == "B6"  # known by its title, the code cell empty


def test_a_wide_table_names_the_cell_of_every_problem():
    reading = read(wide_table())

    found = [(problem.cell, problem.message) for problem in reading.problems]
    assert found == [
        (
            "H4",
            "The column heading 'Marc-25' looks like a month but cannot be read: write it as "
            "2025-03, Mar-25 or March 2025, or use a date cell.",
        ),
        (
            "F4",
            "March 2025 heads two columns, C4 and F4: keep one, so that each month is given once.",
        ),
        (
            "A8",
            "'PI99' is not a KPI code or title of this return: check the spelling, or use the "
            "codes in the template.",
        ),
    ]


def test_a_wide_table_whose_months_are_all_date_cells_reads():
    months = [datetime.datetime(2024, month, 1) for month in range(4, 13)]
    data = xlsx({"History": [["KPI", *months], ["PI2", *range(1, 10)]]})

    reading = read(data)

    assert [record.period for record in reading.records] == [
        Period(2024, month) for month in range(4, 13)
    ]


def test_merged_cells_in_the_heading_row_are_refused_naming_the_range():
    data = xlsx(
        {"Data": [["Title"], [], [], ["KPI", "Period", "Value", None], ["PI1", "2025-03", 1, 2]]},
        merged={"Data": ["A1:D1", "C4:D4"]},
    )

    with pytest.raises(SpreadsheetRejected, match="merged cells C4:D4: unmerge them") as caught:
        read(data)

    assert caught.value.problem.sheet == "Data"
    assert caught.value.problem.cell == "C4:D4"


# --- whole workbooks ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(
            [
                ["Budget monitoring 2024-25"],
                ["Line", "Budget", "Actual to date", "Forecast outturn"],
                ["Placements", 1_000_000, 800_000, 1_100_000],
            ],
            id="a-finance-table",
        ),
        pytest.param(
            [
                ["Service", "Mar-25", "Apr-25"],
                ["Budget", 100, 110],
                ["Forecast outturn", 120, 130],
            ],
            id="finance-lines-by-month",
        ),
    ],
)
def test_a_finance_sheet_uploaded_as_a_kpi_return_is_refused_as_such(sheet):
    with pytest.raises(SpreadsheetRejected, match="looks like a finance return") as caught:
        read(xlsx({"Finance": sheet}))

    assert "upload it as a finance return" in caught.value.problem.message


def test_a_workforce_sheet_beside_the_kpis_is_skipped_with_a_warning():
    data = xlsx(
        {
            "KPIs": [["KPI", "Period", "Value"], ["PI1", "2025-03", 85.3]],
            "Staff": [["Measure", "Mar-25"], ["Total social workers", 200], ["Vacancies", 12]],
        }
    )

    reading = read(data)

    assert figures(reading) == [("PI1", "2025-03", Decimal("85.3"))]
    assert [(problem.severity, problem.sheet, problem.message) for problem in reading.problems] == [
        (
            "warning",
            "Staff",
            "Sheet 'Staff' looks like a workforce return, so it was not read: upload it as a "
            "workforce return.",
        )
    ]


def test_a_workbook_without_a_recognisable_heading_row_is_refused_with_what_to_do():
    data = xlsx({"Sheet1": [["Hello"], [1, 2, 3]]})

    with pytest.raises(SpreadsheetRejected, match="We could not find the return in returns.xlsx"):
        read(data)


def test_a_heading_row_below_row_ten_is_not_looked_for():
    data = xlsx({"Sheet1": [[f"note {n}"] for n in range(10)] + [["KPI", "Period", "Value"]]})

    with pytest.raises(SpreadsheetRejected, match="first 10 rows"):
        read(data)


def test_the_instructions_sheet_is_not_read():
    data = xlsx(
        {
            "Instructions": [["KPI", "Period", "Value"], ["PI1", "2025-03", 1]],
            "Data": [["KPI", "Period", "Value"], ["PI1", "2025-03", 85.3]],
        }
    )

    assert figures(read(data)) == [("PI1", "2025-03", Decimal("85.3"))]
