"""A plain table described by a TableSpec: its heading row found once, its rows as cells."""

import io

import openpyxl
import pytest

from opb_portal.spreadsheets import (
    HEADER_ROWS,
    Cell,
    Column,
    TableSpec,
    layouts,
    read_table,
    tables,
)

SPEC = TableSpec(
    columns=(
        Column("code", "Code", ("measure",)),
        Column("authority", "Authority", ("local authority", "la")),
        Column("value", "Value", ("figure",)),
        Column("source", "Source", required=False),
    )
)


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_heading_row_is_looked_for_once_for_tables_and_returns():
    assert HEADER_ROWS == 10
    assert layouts.HEADER_ROWS is tables.HEADER_ROWS


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        pytest.param("Local Authority", "authority", id="an-alias-in-any-case"),
        pytest.param("  local   authority ", "authority", id="spacing"),
        pytest.param("Source (optional)", "source", id="a-trailing-parenthesis"),
        pytest.param("Figure:", "value", id="a-trailing-colon"),
        pytest.param("Code", "code", id="the-templates-own-heading"),
        pytest.param("Remarks", None, id="a-column-the-spec-does-not-name"),
    ],
)
def test_headings_are_matched_as_the_return_reader_matches_them(heading, field):
    cell = Cell(sheet="S", ref="A1", value=heading)
    assert SPEC.field_of(cell) == field


def test_a_table_under_titles_beside_a_notes_sheet_is_read_with_its_cells():
    data = workbook(
        ("Notes", [["Figures from the DfE tables"]]),
        (
            "Table",
            [
                ["Children looked after"],
                [],
                ["Remarks", "Measure", "LA", "Figure"],
                ["checked", "cic", "Luton", 63],
                [None, None, None, None],
                ["a note beside the table"],
            ],
        ),
    )
    reading = read_table(data, filename="own.xlsx", spec=SPEC)
    assert reading.problems == []
    assert reading.header_rows == {"Table": 3}
    (row,) = [r for r in reading.rows if not r.cells["code"].is_blank]
    assert row.where == "sheet 'Table', row 4"
    assert {name: cell.value for name, cell in row.cells.items()} == {
        "code": "cic",
        "authority": "Luton",
        "value": 63,
    }
    assert row.cells["value"].ref == "D4"


def test_a_heading_row_below_row_10_is_not_found():
    rows = [["title"]] * HEADER_ROWS + [["Code", "Authority", "Value"], ["cic", "Luton", 63]]
    reading = read_table(workbook(("Sheet", rows)), filename="deep.xlsx", spec=SPEC)
    assert [p.message for p in reading.problems] == [
        "deep.xlsx has no heading row naming Code, Authority and Value in its first 10 rows: "
        "use the template, or head your columns so."
    ]


def test_a_missing_required_column_is_named_at_the_heading_row():
    data = workbook(("Sheet", [["Code", "Value"], ["cic", 63]]))
    (problem,) = read_table(data, filename="short.xlsx", spec=SPEC).problems
    assert (problem.sheet, problem.cell) == ("Sheet", "A1")
    assert problem.message == (
        "The heading row has no Authority column: expected Code, Authority, Value and "
        "(optionally) Source."
    )


def test_a_column_given_twice_is_reported_at_the_second():
    data = workbook(("Sheet", [["Code", "Authority", "Value", "Figure"], ["cic", "Luton", 63, 64]]))
    (problem,) = read_table(data, filename="twice.xlsx", spec=SPEC).problems
    assert problem.cell == "D1"
    assert problem.message.startswith("A second Value column (the first is C)")


def test_a_csv_is_a_table_of_one_sheet():
    data = b"code,authority,value\r\ncic,Luton,63\r\n"
    reading = read_table(data, filename="own.csv", spec=SPEC)
    assert reading.problems == []
    assert [row.where for row in reading.rows] == ["row 2"]


def test_a_file_refused_as_a_whole_comes_back_as_its_one_problem():
    reading = read_table(b"not a workbook", filename="bad.xlsx", spec=SPEC)
    assert len(reading.problems) == 1
    assert reading.problems[0].file == "bad.xlsx"
    assert reading.rows == []
