"""
The workforce return's checks, on a workbook: every problem names its file, sheet and cell.

Each case is April 2025 typed as March 2025 was, with one thing wrong.
"""

from decimal import Decimal

import pytest

from kpis.models import KpiDefinition, KpiValue
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.spreadsheets import ERROR, WARNING
from opb_portal.submissions import crosschecks, registry, services
from opb_portal.submissions.models import Return
from opb_portal.submissions.pipeline import check_upload
from workforce.returns import VACANCY_RATE

from .workbooks import MARCH_2025, long_table, month_rows, row_of

FILE = "workforce-april.xlsx"

CASES = [
    # id, changes to the month, the line the problem is on, severity, words of the message
    ("not-a-number", {"PERM_EXCL_ASYE": "lots"}, "PERM_EXCL_ASYE", ERROR, "is not a number"),
    ("negative", {"AGENCY": -1}, "AGENCY", ERROR, "cannot be below zero"),
    ("part-of-a-child", {"AI_CHILDREN": 1270.5}, "AI_CHILDREN", ERROR, "whole numbers"),
    ("no-establishment", {"ESTABLISHMENT": 0}, "ESTABLISHMENT", ERROR, "must be above 0"),
    ("share-over-100", {"PCT_AGENCY": 120}, "PCT_AGENCY", ERROR, "between 0 and 100"),
    ("children-without-fte", {"AI_FTE": 0}, "AI_FTE", ERROR, "no case-holding FTE"),
    ("more-leavers-than-staff", {"LEAVERS": 200}, "LEAVERS", ERROR, "more than the 179.42"),
    ("impossible-sickness", {"SICKNESS_DAYS": 9999}, "SICKNESS_DAYS", ERROR, "could lose"),
    ("total-off", {"TOTAL": 181}, "TOTAL", WARNING, "differ by more than 0.1"),
    ("share-off", {"PCT_AGENCY": "21.7%"}, "PCT_AGENCY", WARNING, "differ by more than 0.1"),
    ("average-off", {"AI_AVERAGE": 25}, "AI_AVERAGE", WARNING, "differ by more than 0.1"),
    (
        "total-without-its-rows",
        {"AGENCY": None, "TOTAL": "179.42"},
        "TOTAL",
        WARNING,
        "cannot be checked: the return has no Agency Social Workers",
    ),
    ("asye-share-red", {"ASYE": 60}, "ASYE", WARNING, "ASYEs are 28.4% of social workers"),
    ("agency-share-red", {"AGENCY": 60}, "AGENCY", WARNING, "Agency social workers are 29.7%"),
    ("caseload-red", {"CCP_CHILDREN": 1000}, "CCP_CHILDREN", WARNING, "average caseload is red"),
    (
        "more-case-holders-than-staff",
        {"AI_FTE": 150},
        "CWCF_FTE",
        WARNING,
        "Case-holding FTE across the services adds up to 250.00,",
    ),
    ("establishment-changed", {"ESTABLISHMENT": 190}, "ESTABLISHMENT", WARNING, "changed from 187"),
]


def _check(trust, rows, *, period="2025-04"):
    spec = registry.get("workforce")
    return check_upload(
        spec=spec, organisation=trust, data=long_table(rows, period=period), filename=FILE
    )


@pytest.mark.parametrize(
    ("changes", "code", "severity", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_each_check_names_the_file_sheet_and_cell(
    workforce_demo, trust, changes, code, severity, words
):
    rows = month_rows(**changes)
    checked = _check(trust, rows)
    found = [p for p in checked.problems if words in p.message]
    assert found, [p.message for p in checked.problems]
    problem = found[0]
    assert (problem.severity, problem.measure, problem.period) == (severity, code, "2025-04")
    assert (problem.file, problem.sheet, problem.cell) == (
        FILE,
        "Figures",
        f"C{row_of(rows, code)}",
    )
    assert all(p.file and p.sheet and p.cell for p in checked.problems)


def test_a_month_as_march_2025_was_raises_nothing(workforce_demo, trust):
    checked = _check(trust, month_rows())
    assert checked.problems == []
    assert set(checked.months[next(iter(checked.months))].data) == set(MARCH_2025)


def test_derived_lines_are_checked_but_never_stored(workforce_demo, trust):
    checked = _check(trust, month_rows(TOTAL="179.42", PCT_AGENCY="20.7", AI_AVERAGE="21.17"))
    assert checked.problems == []
    stored = next(iter(checked.months.values())).data
    assert {"TOTAL", "PCT_AGENCY", "AI_AVERAGE"}.isdisjoint(stored)


def test_a_red_share_with_commentary_is_already_explained(workforce_demo, trust):
    rows = [
        (code, value, "Two teams covered by agency staff." if code == "AGENCY" else "")
        for code, value in month_rows(AGENCY=60)
    ]
    assert not [p for p in _check(trust, rows).problems if p.measure == "AGENCY"]


def test_a_derived_row_off_by_a_tenth_or_less_is_rounding(workforce_demo, trust):
    # 179.42 published as 179.5 (a typing slip of 0.08) is within the published rounding.
    assert _check(trust, month_rows(TOTAL="179.5")).problems == []


def test_the_derived_warning_names_the_cells_it_was_worked_out_from(workforce_demo, trust):
    rows = month_rows(TOTAL=181)
    problem = _check(trust, rows).warnings[0]
    assert "Total Social Workers for April 2025 is 181 at Figures!C12" in problem.message
    assert (
        "Permanent Excluding ASYE (Figures!C3), Total ASyEs (Figures!C4) and Agency Social "
        "Workers (Figures!C5) give 142.24 + 37.18 = 179.42"
    ) in problem.message


# --- the cross-check with the KPI return ----------------------------------------------


def _kpi_return_with_pi12(value: str) -> None:
    ret = Return.objects.get(domain="kpis", period="2025-03-01")
    data = {code: dict(fields) for code, fields in ret.current_version.data.items()}
    data["PI12"] = {**data["PI12"], "value": value, "numerator": "", "denominator": ""}
    services.return_save(
        ret=ret,
        user=User.objects.get(username="kpi.submitter"),
        data=data,
        base_version=ret.current_version.number,
        reason="PI12 recounted",
    )


def test_it_warns_when_pi12_in_the_kpi_return_disagrees(workforce_demo, trust):
    _kpi_return_with_pi12("25.0")
    rows = month_rows()
    problems = _check(trust, rows, period="2025-03").warnings
    assert [p.message for p in problems] == [
        "PI12 in the KPI return for March 2025 is 25.0%, but this return's permanent vacancy "
        "rate works out at 23.94%: they should agree. Correct whichever return is wrong, or "
        "explain the difference."
    ]
    assert (problems[0].measure, problems[0].cell) == ("PERM_VACANCY_RATE", "C2")


def test_a_pi12_within_a_tenth_agrees(workforce_demo, trust):
    _kpi_return_with_pi12("24.0")
    assert _check(trust, month_rows(), period="2025-03").problems == []


def test_the_pi12_warning_points_at_a_vacancy_rate_given_in_the_file(workforce_demo, trust):
    _kpi_return_with_pi12("25.0")
    rows = month_rows(PERM_VACANCY_RATE="23.94")
    problem = _check(trust, rows, period="2025-03").warnings[0]
    assert problem.cell == f"C{row_of(rows, 'PERM_VACANCY_RATE')}"


def test_without_a_kpi_return_it_checks_the_approved_pi12(workforce_demo, trust):
    pi12 = KpiDefinition.objects.get(framework__code="2024", code="PI12")
    KpiValue.objects.create(kpi=pi12, period="2025-04-01", value=Decimal("30.00"))
    warnings = _check(trust, month_rows()).warnings
    assert [w.message.split(",")[0] for w in warnings] == [
        "PI12 in the KPI return for April 2025 is 30.00%"
    ]


def test_the_vacancy_kpi_is_pi12_from_april_2024_and_pi13_before(frameworks):
    # Declared as data (KpiDefinition.cross_check), found by the key, never by the title.
    def declaring(period):
        return crosschecks.declared(VACANCY_RATE.key, period).line

    assert (declaring(Period(2025, 3)), declaring(Period(2024, 3))) == ("PI12", "PI13")
    assert crosschecks.declared(VACANCY_RATE.key, Period(2017, 3)) is None  # no framework


def test_under_the_2018_framework_it_checks_pi13(workforce_demo, trust):
    pi13 = KpiDefinition.objects.get(framework__code="2018", code="PI13")
    KpiValue.objects.create(kpi=pi13, period="2024-03-01", value=Decimal("30.0"))
    [warning] = _check(trust, month_rows(), period="2024-03").warnings
    assert warning.message.startswith("PI13 in the KPI return for March 2024 is 30.0%")
