"""
The finance return's own checks, on a long table uploaded for April and May 2025.

Every problem names its file, sheet and cell: a finance officer fixes the workbook
with the list open beside it.
"""

import pytest

from finance.returns import spec
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.spreadsheets import ERROR, WARNING
from opb_portal.submissions import services
from opb_portal.submissions.pipeline import check_upload

from .builders import long_rows, long_table, on_plan

FILE = "finance-april.xlsx"
SHEET = "Finance"


def check(data: dict, month: str = "2025-04", *, submitting: bool = False, extra_rows=()):
    workbook = long_table(
        [*long_rows(data, month), *extra_rows],
        headings=("Line", "Period", "Actual to date", "Forecast outturn", "Commentary"),
    )
    trust = User.objects.get(username="finance.submitter").organisation
    return check_upload(
        spec=spec, organisation=trust, data=workbook, filename=FILE, submitting=submitting
    )


def row_of(data: dict, code: str) -> int:
    """The sheet row of a line in the table `check` writes (a title row, then the header)."""
    return 3 + list(data).index(code)


def _only(checked, severity):
    return [p for p in checked.problems if p.severity == severity]


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(1_250_000, id="a-number"),
        pytest.param("1,250,000", id="grouped-text"),
        pytest.param("£1,250,000", id="pound-sign"),
        pytest.param("£ 1,250,000", id="pound-sign-and-space"),
        pytest.param(1_250_000.0, id="a-whole-float"),
    ],
)
def test_whole_pounds_are_read_however_they_are_typed(finance_demo, typed):
    checked = check(on_plan(INC_ICB={"actual_to_date": typed}))
    assert checked.problems == []
    assert checked.months[Period(2025, 4)].data["INC-ICB"]["actual_to_date"] == "1250000"


BAD = [
    # line, field, typed, column, severity, words of the message
    pytest.param(
        "PL-RES", "value", "lots", "D", ERROR, "'lots' is not a number", id="not-a-number"
    ),
    pytest.param(
        "PL-RES",
        "value",
        "25600000.40",
        "D",
        ERROR,
        "has pence: the finance return is in whole pounds. Type 25,600,000.",
        id="pence",
    ),
    pytest.param(
        "INC-HO",
        "actual_to_date",
        -5,
        "C",
        ERROR,
        "INC-HO's income received to date is negative (-5): it cannot be below zero",
        id="negative-income",
    ),
    pytest.param(
        "PL-SA", "value", "-£10", "D", ERROR, "forecast outturn is negative", id="negative-£"
    ),
    pytest.param(
        "DRV-RES",
        "actual_to_date",
        80,
        "C",
        ERROR,
        "takes one figure, this month's value, and no actual to date",
        id="a-driver-has-no-actual",
    ),
    pytest.param(
        "DRV-RES", "value", 79.5, "D", ERROR, "is not a whole number of children", id="half-child"
    ),
    pytest.param(
        "DRV-RESCOST",
        "value",
        6800.25,
        "D",
        ERROR,
        "has pence: the finance return is in whole pounds. Type 6,800.",
        id="weekly-cost-in-pence",
    ),
    pytest.param(
        "PL-INTFOST",
        "value",
        100,
        "D",
        WARNING,
        "forecast outturn (£100) is below its actual to date (£675,000)",
        id="forecast-below-actual",
    ),
    pytest.param(
        "PL-SA",
        "value",
        9_400_000,
        "E",
        WARNING,
        "PL-SA is red: forecast outturn £9,400,000 against £8,400,000, an overspend of "
        "£1,000,000 (red beyond £336,000): explain it in the commentary.",
        id="red-without-commentary",
    ),
    pytest.param(
        "SAV-AGENCY",
        "value",
        300_000,
        "E",
        WARNING,
        "SAV-AGENCY is red: forecast savings £300,000 against £600,000, a shortfall",
        id="savings-short-of-target",
    ),
]


@pytest.mark.parametrize(("code", "field", "typed", "column", "severity", "words"), BAD)
def test_each_bad_figure_is_named_with_its_file_sheet_and_cell(
    finance_demo, code, field, typed, column, severity, words
):
    data = on_plan(**{code.replace("-", "_"): {field: typed}})
    checked = check(data)
    found = [p for p in checked.problems if p.measure == code]
    assert len(found) == 1, checked.problems
    problem = found[0]
    assert (problem.severity, problem.file, problem.sheet) == (severity, FILE, SHEET)
    assert problem.cell == f"{column}{row_of(data, code)}"
    assert problem.period == "2025-04"
    assert words in problem.message
    assert f"{FILE}, sheet '{SHEET}', cell {problem.cell}" in str(problem)
    assert len(checked.problems) == 1  # every other line is clean


def test_a_red_line_with_commentary_needs_no_more_explanation(finance_demo):
    data = on_plan(PL_SA={"value": "9400000", "commentary": "More young people placed."})
    assert check(data).problems == []


def test_a_total_that_does_not_match_its_lines_is_an_error_at_the_totals_cell(finance_demo):
    data = on_plan()
    staffing = int(data["STAFF-PERM"]["value"]) + int(data["STAFF-AGENCY"]["value"])
    rows = [("TOTAL-STAFFING", "2025-04", None, staffing + 1, None)]
    checked = check(data, extra_rows=rows)
    (problem,) = checked.problems
    assert (problem.severity, problem.cell, problem.measure) == (
        ERROR,
        f"D{3 + len(data)}",
        "TOTAL-STAFFING",
    )
    assert "its lines add up to £34,500,000 (a difference of +£1)" in problem.message


def test_a_total_that_matches_is_checked_and_not_stored(finance_demo):
    data = on_plan()
    staffing = int(data["STAFF-PERM"]["value"]) + int(data["STAFF-AGENCY"]["value"])
    checked = check(data, extra_rows=[("Staffing total", "2025-04", None, staffing, None)])
    assert checked.ok
    assert not checked.problems
    assert "TOTAL-STAFFING" not in checked.months[Period(2025, 4)].data


def test_an_unknown_line_is_named_with_its_cell(finance_demo):
    checked = check(on_plan(), extra_rows=[("Consultancy", "2025-04", 5, 10, None)])
    (problem,) = checked.problems
    assert problem.cell == f"A{3 + len(on_plan())}"
    assert "'Consultancy' is not a line of the finance return for April 2025" in problem.message


def test_a_missing_line_blocks_submission_but_not_a_draft(finance_demo):
    data = on_plan()
    del data["INC-MOJ"]
    assert check(data).ok
    errors = _only(check(data, submitting=True), ERROR)
    assert [p.measure for p in errors] == ["INC-MOJ"]
    assert "has no actual_to_date or value for April 2025" in errors[0].message


def test_a_month_without_a_plan_is_refused(finance_demo):
    checked = check(on_plan(), month="2026-04")
    assert "No finance return is expected for April 2026" in checked.errors[0].message
    assert checked.errors[0].cell == "A3"


# --- against last month ---------------------------------------------------------------


@pytest.fixture
def april_approved(finance_demo):
    """April 2025 on plan, typed, submitted and approved as the services do it."""
    submitter = User.objects.get(username="finance.submitter")
    ret = services.return_for(
        organisation=submitter.organisation, domain="finance", period=Period(2025, 4)
    )
    services.return_save(ret=ret, user=submitter, data=on_plan(), base_version=None)
    services.return_submit(ret=ret, user=submitter)
    services.return_approve(ret=ret, user=User.objects.get(username="reviewer"))


def test_a_forecast_that_moved_more_than_the_tolerance_needs_explaining(april_approved):
    data = on_plan(month_of_year=2, PL_RES={"value": "26200000", "commentary": ""})
    (problem,) = check(data, month="2025-05").problems
    assert problem.severity == WARNING
    assert problem.cell == f"D{row_of(data, 'PL-RES')}"
    assert (
        "PL-RES's forecast outturn moved by +£600,000 since April 2025 (£25,600,000 to "
        "£26,200,000), more than the £500,000 the administrator expects" in problem.message
    )


def test_a_forecast_within_the_tolerance_passes(april_approved):
    data = on_plan(month_of_year=2, PL_RES={"value": "26000000"})
    assert check(data, month="2025-05").problems == []


def test_an_actual_to_date_lower_than_last_months_needs_explaining(april_approved):
    data = on_plan(month_of_year=2, OVERHEADS={"actual_to_date": "600000"})
    (problem,) = check(data, month="2025-05").problems
    assert (problem.severity, problem.field) == (WARNING, "actual_to_date")
    assert "actual to date fell from £650,000 in April 2025 to £600,000" in problem.message


def test_aprils_forecast_is_not_compared_with_last_years_march(finance_demo):
    # March 2025's residential forecast was £24,362,260: April's £25,600,000 is a new year.
    assert check(on_plan()).problems == []


@pytest.mark.parametrize(
    ("code", "stored", "written"),
    [
        pytest.param("DRV-AGENCY", "17.4", "17.4%", id="a-share-with-its-percent-sign"),
        pytest.param("DRV-SW", "179.4", "179.40", id="staff-in-fte-at-two-places"),
        pytest.param("DRV-RES", "79", "79", id="children-as-counted"),
        pytest.param("DRV-RESCOST", "6748", "£6,748", id="a-weekly-cost-in-pounds"),
    ],
)
def test_a_drivers_figure_is_written_in_its_unit(finance_demo, code, stored, written):
    line = next(line for line in spec.lines(Period(2024, 8)) if line.code == code)
    assert line.written(stored) == written
