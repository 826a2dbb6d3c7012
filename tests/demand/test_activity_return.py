"""
The activity return: the demand measures' monthly figures, checked, reviewed and applied.

Each check case is April 2025 as the Trust might type it, with one thing wrong.
"""

from decimal import Decimal

import pytest

from demand.models import Measure, MeasureValue
from demand.returns import year_figures
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.reference.models import ChildPopulation
from opb_portal.spreadsheets import ERROR, WARNING
from opb_portal.submissions import registry, services
from opb_portal.submissions.models import Return
from opb_portal.submissions.pipeline import check_upload
from tests.workforce.workbooks import long_table

FILE = "activity-april.xlsx"
# April 2025: 816 children in care at the end of March, 24 came into care and 20 left.
APRIL = {
    "referrals": "310",
    "re_referral_rate": "22.9",
    "early_help": "550",
    "assessments": "680",
    "s47_enquiries": "104",
    "icpc": "35",
    "children_in_need": "680",
    "cp_plans": "350",
    "children_in_care": "820",
    "care_experienced": "392",
    "entered_care": "24",
    "ceased_care": "20",
    "placed_internal_foster": "266",
    "placed_connected": "120",
    "placed_external_foster": "295",
    "placed_residential": "79",
    "placed_supported_living": "30",
    "placed_with_parents": "15",
    "placed_for_adoption": "10",
    "placed_other": "5",
    "foster_households": "180",
    "foster_enquiries": "12",
    "foster_approvals": "2",
    "foster_deregistrations": "3",
}


# March only: the care leavers' outcomes over the year to 31 March (percent).
LEAVERS = {
    "care_leavers_in_touch": "94.0",
    "care_leavers_eet": "56.0",
    "care_leavers_suitable_accommodation": "91.0",
}


@pytest.fixture
def april(demand):
    """The demonstration, with March 2025's count of children in care and 2025-26's children."""
    MeasureValue.objects.create(
        measure=Measure.objects.get(code="children_in_care"),
        period="2025-03-01",
        span=MeasureValue.Span.MONTH,
        value=Decimal(816),
    )
    ChildPopulation.objects.get_or_create(financial_year_start=2025, defaults={"children": 86835})


def rows(figures=None, **changes):
    month = {**(figures or APRIL), **changes}
    return [(code, value) for code, value in month.items() if value is not None]


def row_of(code: str) -> int:
    return list(APRIL).index(code) + 2  # under the header row


def check(trust, lines, *, period="2025-04", submitting=False):
    return check_upload(
        spec=registry.get("activity"),
        organisation=trust,
        data=long_table(lines, period=period),
        filename=FILE,
        submitting=submitting,
    )


@pytest.fixture
def trust(demand):
    return User.objects.get(username="kpi.submitter").organisation


def test_a_whole_month_that_adds_up_raises_nothing(april, trust):
    checked = check(trust, rows())
    assert checked.problems == []
    assert set(checked.months[Period(2025, 4)].data) == set(APRIL)


def test_every_monthly_demand_measure_is_a_line_of_the_return(demand):
    lines = registry.get("activity").lines(Period(2025, 4))
    monthly = Measure.objects.filter(yearly=False)
    assert [line.code for line in lines] == list(monthly.values_list("code", flat=True))
    assert {line.code for line in lines} == set(APRIL)


CASES = [
    # id, changes, the line the problem is on, severity, words of the message
    ("not-a-number", {"referrals": "lots"}, "referrals", ERROR, "is not a number"),
    ("negative", {"icpc": "-1"}, "icpc", ERROR, "cannot be below zero"),
    ("percent-over-100", {"re_referral_rate": "122.9"}, "re_referral_rate", ERROR, "0 to 100"),
    ("part-of-a-child", {"cp_plans": "350.5"}, "cp_plans", ERROR, "counts whole children"),
    (
        "placements-do-not-add-up",
        {"placed_other": "9"},
        "children_in_care",
        WARNING,
        "by placement type add up to 824",
    ),
    (
        "flow-does-not-add-up",
        {"entered_care": "30"},
        "children_in_care",
        WARNING,
        "with 30 entering",
    ),
    (
        "cp-plan-rate-red",
        {"cp_plans": "500"},
        "cp_plans",
        WARNING,
        "is red at 57.6 per 10,000 children (500)",
    ),
]


@pytest.mark.parametrize(
    ("changes", "code", "severity", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_each_check_names_the_file_sheet_and_cell(april, trust, changes, code, severity, words):
    checked = check(trust, rows(**changes))
    found = [p for p in checked.problems if words in p.message]
    assert found, [p.message for p in checked.problems]
    problem = found[0]
    assert (problem.severity, problem.measure, problem.period) == (severity, code, "2025-04")
    field_cell = "D" if problem.field == "commentary" else "C"
    assert (problem.file, problem.sheet, problem.cell) == (
        FILE,
        "Figures",
        f"{field_cell}{row_of(code)}",
    )


def test_the_placements_warning_names_the_cells_it_added(april, trust):
    [warning] = check(trust, rows(placed_other="9")).warnings
    assert warning.message.startswith(
        "The children we care for by placement type add up to 824 (Figures!C14 to Figures!C21), "
        "but Children we care for is 820 at Figures!C10 for April 2025"
    )


def test_commentary_explains_a_warning(april, trust):
    lines = [
        (
            code,
            value,
            "Nine children placed in parent and child units." if code == "children_in_care" else "",
        )
        for code, value in rows(placed_other="9")
    ]
    assert check(trust, lines).problems == []


def test_without_last_months_count_the_flow_is_not_checked(demand, trust):
    assert not [
        p for p in check(trust, rows(entered_care="30")).problems if "entering" in p.message
    ]


def test_submitting_needs_every_line(april, trust):
    checked = check(trust, rows(foster_enquiries=None), submitting=True)
    [error] = checked.errors
    assert error.message.startswith("foster_enquiries (Foster carer enquiries) has no value")


# --- review and approval -----------------------------------------------------------------


def _approved(period: str, figures: dict) -> Return:
    submitter = User.objects.get(username="kpi.submitter")
    ret = services.return_for(
        organisation=submitter.organisation, domain="activity", period=Period.parse(period)
    )
    data = {code: {"value": value, "commentary": ""} for code, value in figures.items()}
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)
    services.return_submit(ret=ret, user=submitter, explanations={})
    services.return_approve(ret=ret, user=User.objects.get(username="reviewer"))
    ret.refresh_from_db()
    return ret


def test_approval_makes_the_months_figures_with_their_version(april):
    ret = _approved("2025-04", APRIL)
    values = MeasureValue.objects.filter(period="2025-04-01", span="month")
    assert {v.measure.code: str(v.value) for v in values} == APRIL
    assert {v.version_id for v in values} == {ret.approved_version_id}
    assert not MeasureValue.objects.filter(period="2025-04-01", span="year").exists()


def test_only_the_performance_team_submits_the_activity_return(demand):
    finance = User.objects.get(username="finance.submitter")
    ret = services.return_for(
        organisation=finance.organisation, domain="activity", period=Period(2025, 4)
    )
    with pytest.raises(Exception, match="role"):
        services.return_save(ret=ret, user=finance, data={}, base_version=None)


def _months_before(year_end: Period, code: str, value: int) -> None:
    measure = Measure.objects.get(code=code)
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period=month.first_day, span="month", value=Decimal(value))
        for month in year_end.financial_year.months()[:-1]
    )


def test_march_makes_the_years_figures_a_count_at_the_end_and_twelve_months_summed(demand):
    ChildPopulation.objects.get_or_create(financial_year_start=2025, defaults={"children": 86835})
    _months_before(Period(2026, 3), "referrals", 300)
    ret = _approved("2026-03", {**APRIL, **LEAVERS})
    year = {
        v.measure.code: v for v in MeasureValue.objects.filter(period="2026-03-01", span="year")
    }
    assert year["children_in_care"].value == Decimal(820)
    assert year["referrals"].value == Decimal(11 * 300 + 310)  # all twelve months are in
    assert "s47_enquiries" not in year  # only March's month: the year's total is unknown
    assert year["re_referral_rate"].value == Decimal("22.9")  # a rolling rate: March's
    assert year["referrals"].version_id == ret.approved_version_id
    # A yearly measure gives the year's figure alone.
    assert year["care_leavers_eet"].value == Decimal("56.0")
    assert not MeasureValue.objects.filter(
        measure__code__in=LEAVERS, span="month", period="2026-03-01"
    ).exists()


def test_march_asks_for_the_care_leavers_outcomes_and_april_does_not(demand):
    spec = registry.get("activity")
    march = {line.code: line for line in spec.lines(Period(2025, 3))}
    april = {line.code for line in spec.lines(Period(2025, 4))}
    assert set(LEAVERS) <= set(march)
    assert not set(LEAVERS) & april
    assert all(march[code].percent and march[code].required == ("value",) for code in LEAVERS)


def test_a_march_return_without_the_care_leavers_outcomes_cannot_be_submitted(demand, trust):
    checked = check(trust, rows(), period="2026-03", submitting=True)
    missing = {p.measure: p.message for p in checked.errors if "has no value" in p.message}
    assert set(missing) == set(LEAVERS)
    assert missing["care_leavers_eet"] == (
        "care_leavers_eet (Care leavers aged 19 to 21 in education, employment or training) has "
        "no value for March 2026: every line of the return needs one before it can be submitted."
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param("120", "is a percentage, so it must be 0 to 100; found 120.", id="over-100"),
        pytest.param("-3", "is negative (-3): it cannot be below zero.", id="negative"),
        pytest.param("most", "is not a number", id="not-a-number"),
    ],
)
def test_a_bad_care_leavers_figure_is_refused_naming_its_cell(demand, trust, value, words):
    march = rows({**APRIL, **LEAVERS}, care_leavers_eet=value)
    checked = check(trust, march, period="2026-03")
    [problem] = [p for p in checked.errors if p.measure == "care_leavers_eet"]
    assert words in problem.message
    assert (problem.file, problem.sheet, problem.cell) == (FILE, "Figures", f"C{len(APRIL) + 3}")


def test_an_april_row_of_a_yearly_measure_is_not_a_line_of_the_month(april, trust):
    checked = check(trust, rows({**APRIL, "care_leavers_eet": "55"}))
    [problem] = [p for p in checked.errors if p.measure == "care_leavers_eet"]
    assert problem.message.startswith("'care_leavers_eet' is not a line of the activity return for")


def test_a_published_year_figure_stands_and_the_check_says_it_differs(demand, trust):
    published = MeasureValue.objects.get(
        measure__code="children_in_care", period="2025-03-01", span="year"
    )
    assert (published.value, published.version_id) == (Decimal(816), None)
    march = rows(children_in_care="821", placed_other="6")
    warnings = check(trust, march, period="2025-03").warnings
    [warning] = [w for w in warnings if w.measure == "children_in_care"]
    assert {w.measure for w in warnings} >= {"cp_plans", "assessments"}  # 350 and 680 too
    assert warning.message == (
        "Children we care for for 31 March 2025 is 821 from this return's March figure "
        "(Figures!C10), but the published figure is 816 (Annual review 2024-25, section (f)). "
        "The portal keeps the published figure: explain the difference in the commentary."
    )
    figures = {"children_in_care": Decimal(821)}
    assert (
        year_figures({"children_in_care": published.measure}, Period(2025, 3), figures) == figures
    )


@pytest.mark.parametrize("domain", ["kpis", "finance", "workforce"])
def test_an_activity_workbook_sent_as_another_return_is_named_for_what_it_is(demand, trust, domain):
    checked = check_upload(
        spec=registry.get(domain),
        organisation=trust,
        data=long_table(
            [("Placed with connected carers", "120"), ("Foster carer households", "180")]
        ),
        filename=FILE,
    )
    [error] = checked.errors
    assert error.message.startswith(f"{FILE} looks like an activity return (sheet 'Figures')")
    assert error.message.endswith("upload it as an activity return.")
