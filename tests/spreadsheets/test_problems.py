import io

import openpyxl
import pytest

from opb_portal.spreadsheets import ERROR, WARNING, Problem, SpreadsheetRejected, problems_workbook


@pytest.mark.parametrize(
    ("problem", "location"),
    [
        pytest.param(
            Problem(ERROR, "m", file="returns.xlsx", sheet="KPI return", cell="C7"),
            "returns.xlsx, sheet 'KPI return', cell C7",
            id="file-sheet-and-cell",
        ),
        pytest.param(Problem(ERROR, "m", file="returns.xlsx"), "returns.xlsx", id="file-only"),
        pytest.param(
            Problem(ERROR, "m", file="returns.xlsx", sheet="Data"),
            "returns.xlsx, sheet 'Data'",
            id="file-and-sheet",
        ),
        pytest.param(Problem(ERROR, "m", cell="PI3"), "PI3", id="typed-form-row-label"),
        pytest.param(Problem(ERROR, "m"), "", id="nowhere"),
    ],
)
def test_a_problem_says_where_it_is_with_the_parts_that_exist(problem, location):
    assert problem.location == location


def test_a_problem_reads_as_its_location_then_its_message():
    problem = Problem(ERROR, "'n/a' is not a number.", file="r.xlsx", sheet="S", cell="C7")

    assert str(problem) == "r.xlsx, sheet 'S', cell C7: 'n/a' is not a number."
    assert str(Problem(WARNING, "Check this.")) == "Check this."


def test_a_rejection_carries_its_problem_and_reads_as_its_message():
    problem = Problem(ERROR, "returns.xlsx is empty: choose the file again.", file="returns.xlsx")

    rejection = SpreadsheetRejected(problem)

    assert rejection.problem is problem
    assert str(rejection) == problem.message


def open_report(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_problems_download_has_a_summary_and_one_row_per_problem():
    problems = [
        Problem(
            ERROR,
            "'n/a' is not a number.",
            "returns.xlsx",
            "KPI return",
            "D7",
            "PI3",
            "2025-03",
            "value",
        ),
        Problem(WARNING, "A big jump on last month.", "returns.xlsx", "KPI return", "D8", "PI4"),
        Problem(ERROR, "Missing value.", cell="PI5"),
    ]

    workbook = open_report(problems_workbook(problems, title="KPI return, March 2025"))

    assert workbook.sheetnames == ["Summary", "Problems"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["KPI return, March 2025"] is None
    assert (summary["Errors"], summary["Warnings"], summary["Problems listed"]) == (2, 1, 3)
    assert summary["Generated"] is not None
    rows = list(workbook["Problems"].iter_rows(values_only=True))
    assert rows[0] == ("Severity", "File", "Sheet", "Cell", "Measure", "Period", "Field", "Problem")
    assert rows[1] == (
        "error",
        "returns.xlsx",
        "KPI return",
        "D7",
        "PI3",
        "2025-03",
        "value",
        "'n/a' is not a number.",
    )
    assert (rows[3][0], rows[3][3]) == ("error", "PI5")
    assert len(rows) == 4


@pytest.mark.parametrize(
    "message",
    [
        pytest.param('=HYPERLINK("http://x","y")', id="formula"),
        pytest.param("+SUM(1,2)", id="plus"),
        pytest.param("-2+3", id="minus"),
        pytest.param("@SUM(A1)", id="at"),
    ],
)
def test_a_message_that_looks_like_a_formula_is_written_as_text(message):
    problems = [Problem(ERROR, message, file=message, sheet="S", cell="A1")]

    sheet = open_report(problems_workbook(problems, title=message))["Problems"]

    assert sheet["H2"].value == message
    assert sheet["H2"].data_type != "f"
    assert sheet["B2"].value == message
    assert sheet["B2"].data_type != "f"


def test_characters_a_workbook_cannot_hold_do_not_break_the_download():
    problems = [Problem(ERROR, "Found 'a\x00b\x1fc' in the cell.")]

    sheet = open_report(problems_workbook(problems, title="t"))["Problems"]

    assert sheet["H2"].value == "Found 'a\ufffdb\ufffdc' in the cell."


def test_an_empty_list_still_gives_a_workbook_saying_so():
    workbook = open_report(problems_workbook([], title="No problems"))

    assert workbook["Summary"]["B3"].value == 0
    assert workbook["Problems"].max_row == 1
