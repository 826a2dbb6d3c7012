import io

import openpyxl
import pytest

from opb_portal.periods import Period
from opb_portal.spreadsheets import (
    TEMPLATE_FIRST_ROW,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_PERIOD_CELL,
    TemplateRow,
    template_headings,
    write_template,
)

from .builders import KPI_SPEC

ROWS = [
    TemplateRow("PI1", "Percentage of visits on time", "Percentage: 85.3 for 85.3%", "84.0"),
    TemplateRow("PI2", "Children seen alone", "Number of children", "12"),
    TemplateRow("PI3", "Re-referrals within 12 months", "Percentage: 85.3 for 85.3%", ""),
]


@pytest.fixture(scope="module")
def workbook() -> openpyxl.Workbook:
    data = write_template(
        spec=KPI_SPEC,
        period=Period(2025, 3),
        title="Sandwell Children's Trust KPI return",
        instructions=["Send the return by the 10th working day.", "Explain every red KPI."],
        rows=ROWS,
        percent_codes=frozenset({"PI1", "PI3"}),
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def test_it_has_an_instructions_sheet_then_the_return(workbook):
    assert workbook.sheetnames == ["Instructions", "KPI return"]
    assert workbook.active.title == "KPI return"
    text = [row[0] for row in workbook["Instructions"].iter_rows(values_only=True) if row[0]]
    assert text[0] == "Sandwell Children's Trust KPI return"
    assert "Reporting month: March 2025" in text
    assert "Send the return by the 10th working day." in text
    assert any("Months: 2025-03, Mar-25, March 2025" in line for line in text)
    assert any("0.853 in a cell formatted as a percentage" in line for line in text)


def test_the_return_sheet_has_the_month_and_the_heading_row_the_reader_expects(workbook):
    sheet = workbook["KPI return"]

    assert sheet["A3"].value == "Reporting month"
    assert sheet[TEMPLATE_PERIOD_CELL].value == "March 2025"
    headings = [cell.value for cell in sheet[TEMPLATE_HEADER_ROW]]
    assert (
        headings
        == template_headings(KPI_SPEC)
        == [
            "Code",
            "Title",
            "Unit",
            "Value",
            "Numerator",
            "Denominator",
            "Commentary",
            "Last month",
        ]
    )
    first = [cell.value for cell in sheet[TEMPLATE_FIRST_ROW]]
    assert first == [
        "PI1",
        "Percentage of visits on time",
        "Percentage: 85.3 for 85.3%",
        None,
        None,
        None,
        None,
        "84.0",
    ]


def test_codes_and_titles_are_locked_and_figures_are_not(workbook):
    sheet = workbook["KPI return"]

    assert sheet.protection.sheet
    assert not sheet.protection.password  # against accidents, not against people
    for row in range(TEMPLATE_FIRST_ROW, TEMPLATE_FIRST_ROW + len(ROWS)):
        assert [sheet.cell(row=row, column=column).protection.locked for column in range(1, 9)] == [
            True,
            True,
            True,
            False,
            False,
            False,
            False,
            True,
        ]


def test_value_cells_are_validated_as_percentages_or_numbers(workbook):
    validations = {
        str(validation.sqref): validation
        for validation in workbook["KPI return"].data_validations.dataValidation
    }

    percent = validations["D6 D8"]
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert "between 0 and 100" in percent.error
    assert percent.showErrorMessage
    count = validations["D7"]
    assert (count.type, count.operator, count.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert count.prompt == "Number of children"
    numerators, denominators = validations["E6 E7 E8"], validations["F6 F7 F8"]
    assert numerators.operator == denominators.operator == "greaterThanOrEqual"
    assert "G6" not in " ".join(validations)  # commentary is free text


def test_columns_are_wide_enough_to_read(workbook):
    widths = workbook["KPI return"].column_dimensions

    assert widths["B"].width >= 40  # titles
    assert widths["G"].width >= 40  # commentary
    assert widths["D"].width >= 10


def test_it_is_marked_as_this_domains_template_for_this_month(workbook):
    marker = {prop.name: prop.value for prop in workbook.custom_doc_props.props}

    assert marker["opb-template"] == "kpis 2025-03"
