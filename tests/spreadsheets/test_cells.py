import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from opb_portal.periods import Period
from opb_portal.spreadsheets import Cell, Problem, open_workbook, sheet_rows, to_decimal, to_period

from .builders import rezip, sheet_xml, simple_kpi_workbook


def cell(value, number_format="General", **flags) -> Cell:
    return Cell(sheet="KPI return", ref="D7", value=value, number_format=number_format, **flags)


@pytest.mark.parametrize(
    ("given", "percent", "expected"),
    [
        pytest.param(cell(85.3), True, Decimal("85.3"), id="a-number"),
        pytest.param(cell(12), False, Decimal("12"), id="an-integer-as-given"),
        pytest.param(cell("85.3"), True, Decimal("85.3"), id="a-number-typed-as-text"),
        pytest.param(cell("85.3%"), True, Decimal("85.3"), id="percent-sign-text"),
        pytest.param(cell(" 85.3 % "), True, Decimal("85.3"), id="percent-sign-with-spaces"),
        pytest.param(cell(0.853, "0.0%"), True, Decimal("85.3"), id="fraction-in-percent-cell"),
        pytest.param(cell(0.85, "0%"), True, Decimal("85"), id="fraction-in-whole-percent-cell"),
        pytest.param(cell(1, "0%"), True, Decimal("100"), id="one-in-percent-cell-is-100"),
        pytest.param(
            cell(0.853, '0.0"%"'), True, Decimal("0.853"), id="quoted-percent-is-only-text"
        ),
        pytest.param(cell(0.853, "0.0%"), False, Decimal("0.853"), id="not-a-percentage-measure"),
        pytest.param(cell("1,234"), False, Decimal("1234"), id="thousands-separator"),
        pytest.param(cell("1,234,567.50"), False, Decimal("1234567.50"), id="millions-and-pence"),
        pytest.param(cell(" 12 "), False, Decimal("12"), id="spaces-around"),
        pytest.param(cell("\u221212"), False, Decimal("-12"), id="unicode-minus"),
        pytest.param(
            cell(-4.5), False, Decimal("-4.5"), id="negative-passes-signs-are-the-domains"
        ),
        pytest.param(cell("-3"), False, Decimal("-3"), id="negative-text"),
        pytest.param(cell("85.30"), True, Decimal("85.30"), id="typed-digits-kept-as-entered"),
        pytest.param(cell(0.1 + 0.2), False, Decimal("0.3"), id="float-as-excel-shows-it"),
        pytest.param(cell(""), False, None, id="empty-text-is-blank"),
        pytest.param(cell("   "), False, None, id="spaces-are-blank"),
        pytest.param(cell(None), False, None, id="no-value-is-blank"),
    ],
)
def test_it_reads_a_figure_the_way_people_type_it(given, percent, expected):
    found = to_decimal(given, percent=percent, file="returns.xlsx")

    assert found == expected
    if expected is not None:
        assert str(found) == str(expected)  # 85.3, not 85.300 or 8.53E+1


@pytest.mark.parametrize(
    ("given", "percent", "expected"),
    [
        pytest.param(
            cell("n/a"),
            False,
            "'n/a' is not a number: type the figure, or leave the cell empty if there is none.",
            id="n-a",
        ),
        pytest.param(cell("12 children"), False, "'12 children' is not a number", id="words"),
        pytest.param(cell("1,23"), False, "'1,23' is not a number", id="bad-grouping"),
        pytest.param(
            cell("85.3%"),
            False,
            "'85.3%' has a % sign, but this figure is not a percentage",
            id="percent-sign-on-a-count",
        ),
        pytest.param(cell(True), False, "TRUE is a yes/no value, not a number", id="boolean"),
        pytest.param(cell(float("inf")), False, "is not a number we can use", id="infinity"),
        pytest.param(cell(float("1e400")), False, "is not a number we can use", id="1e400"),
        pytest.param(cell(float("nan")), False, "is not a number we can use", id="nan"),
        pytest.param(
            cell(datetime.datetime(2025, 3, 1)),
            False,
            "2025-03-01 is a date or time, not a number",
            id="a-date",
        ),
        pytest.param(
            cell("#DIV/0!", error="#DIV/0!"),
            False,
            "#DIV/0! is an Excel error, not a figure: fix the formula or type the value.",
            id="excel-error",
        ),
        pytest.param(
            cell(None, formula_without_value=True),
            False,
            "has a formula but no saved value: open the file in Excel, let it calculate, save, "
            "and upload again.",
            id="formula-never-calculated",
        ),
        pytest.param(cell("9" * 80), False, "is not a number", id="absurdly-long-text"),
    ],
)
def test_it_explains_a_value_that_is_not_a_figure(given, percent, expected):
    found = to_decimal(
        given, percent=percent, file="returns.xlsx", measure="PI3", period="2025-03", field="value"
    )

    assert isinstance(found, Problem)
    assert expected in found.message
    assert found.severity == "error"
    assert found.location == "returns.xlsx, sheet 'KPI return', cell D7"
    assert (found.measure, found.period, found.field) == ("PI3", "2025-03", "value")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(cell("2025-03"), Period(2025, 3), id="iso"),
        pytest.param(cell("Mar-25"), Period(2025, 3), id="short"),
        pytest.param(cell("March 2025"), Period(2025, 3), id="long"),
        pytest.param(cell(datetime.datetime(2025, 3, 31, 0, 0)), Period(2025, 3), id="datetime"),
        pytest.param(cell(datetime.date(2025, 3, 1)), Period(2025, 3), id="date"),
        pytest.param(cell("Smarch 2025"), None, id="not-a-month"),
        pytest.param(cell(45717), None, id="a-bare-number"),
        pytest.param(cell(None), None, id="blank"),
        pytest.param(cell(datetime.datetime(1800, 1, 1)), None, id="a-date-before-1900"),
        pytest.param(cell("#N/A", error="#N/A"), None, id="an-error"),
    ],
)
def test_it_reads_a_month_from_text_or_a_date_cell(given, expected):
    assert to_period(given) == expected


def test_a_blank_cell_is_one_with_nothing_to_read():
    assert cell(None).is_blank
    assert cell("  ").is_blank
    assert not cell(0).is_blank
    assert not cell(None, formula_without_value=True).is_blank
    assert not cell("#N/A", error="#N/A").is_blank


def streamed(data: bytes) -> dict[str, Cell]:
    workbook = open_workbook(data, filename="returns.xlsx")
    try:
        return {
            found.ref: found
            for _number, cells in sheet_rows(workbook.worksheets[0], filename="returns.xlsx")
            for found in cells.values()
        }
    finally:
        workbook.close()


def test_a_formula_openpyxl_wrote_has_no_saved_value_and_is_reported():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = 40
    sheet["A2"] = 45.3
    sheet["A3"] = "=A1+A2"  # openpyxl saves formulas without a calculated value
    buffer = io.BytesIO()
    workbook.save(buffer)

    cells = streamed(buffer.getvalue())
    problem = to_decimal(cells["A3"], percent=True, file="returns.xlsx")

    assert cells["A3"].formula_without_value
    assert cells["A3"].value is None
    assert isinstance(problem, Problem)
    assert "has a formula but no saved value" in problem.message
    assert problem.cell == "A3"


def test_a_formula_with_a_saved_value_gives_the_value_excel_showed():
    data = rezip(
        simple_kpi_workbook(),
        replace={
            "xl/worksheets/sheet1.xml": sheet_xml(
                '<c r="A1"><f>40+45.3</f><v>85.3</v></c>'
                '<c r="B1" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>'
                '<c r="C1" t="str"><f>""</f><v></v></c>'
            )
        },
    )

    cells = streamed(data)

    assert to_decimal(cells["A1"], percent=True, file="f") == Decimal("85.3")
    assert cells["B1"].value == "xy"
    assert "C1" not in cells  # a formula whose saved result is empty text is a blank cell


@pytest.mark.parametrize(
    "xml",
    [
        pytest.param('<c r="A1" t="e"><v>#N/A</v></c>', id="crafted-xml"),
        pytest.param('<c r="A1" t="e"><f>1/0</f><v>#N/A</v></c>', id="from-a-formula"),
    ],
)
def test_an_excel_error_value_is_reported_as_an_error(xml):
    data = rezip(simple_kpi_workbook(), replace={"xl/worksheets/sheet1.xml": sheet_xml(xml)})

    found = streamed(data)["A1"]
    problem = to_decimal(found, percent=False, file="returns.xlsx")

    assert found.error == "#N/A"
    assert isinstance(problem, Problem)
    assert problem.message.startswith("#N/A is an Excel error, not a figure")


def test_an_error_cell_written_by_openpyxl_is_read_as_an_error():
    workbook = openpyxl.Workbook()
    workbook.active["B2"] = "#DIV/0!"
    workbook.active["B2"].data_type = "e"
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert streamed(buffer.getvalue())["B2"].error == "#DIV/0!"


def test_number_formats_and_dates_come_through_from_the_workbook():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = 0.853
    sheet["A1"].number_format = "0.0%"
    sheet["B1"] = datetime.date(2025, 3, 1)
    sheet["C1"] = True
    buffer = io.BytesIO()
    workbook.save(buffer)

    cells = streamed(buffer.getvalue())

    assert cells["A1"].number_format == "0.0%"
    assert to_decimal(cells["A1"], percent=True, file="f") == Decimal("85.3")
    assert to_period(cells["B1"]) == Period(2025, 3)
    assert cells["C1"].value is True


def test_shared_strings_and_rich_inline_text_are_read_as_text():
    data = rezip(
        simple_kpi_workbook(),
        replace={
            "xl/worksheets/sheet1.xml": sheet_xml(
                '<c r="A1" t="inlineStr"><is><r><t>PI</t></r><r><t>1</t></r>'
                "<rPh><t>ignored reading aid</t></rPh></is></c>"
                '<c t="inlineStr"><is><t>no reference</t></is></c>'
            )
        },
    )

    cells = streamed(data)

    assert cells["A1"].value == "PI1"
    assert cells["B1"].value == "no reference"  # a cell without r= follows the one before
