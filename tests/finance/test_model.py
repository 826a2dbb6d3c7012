"""
The driver model (`finance.model`) on the demonstration year: its arithmetic to the
pound against the published outturn, and its reconciliation with the Trust's forecast.
"""

from decimal import Decimal

import pytest

from finance import demo
from finance.model import (
    FORMULAS,
    INFLATION,
    STEPS,
    Change,
    month_cost,
    next_years,
    outturn,
    position_outturn,
    sensitivity,
)
from finance.models import CostDriver, DriverFigure, FinanceFigure, FinanceYear
from finance.selectors import finance_position
from opb_portal.core import projections
from opb_portal.periods import Period

M = CostDriver.Measure
MARCH = Period(2025, 3)
SEPTEMBER = Period(2024, 9)
MODELLED = {
    "STAFF-AGENCY",
    "PL-RES",
    "PL-EXTFOST",
    "PL-INTFOST",
    "PL-SA",
    "INC-HO",
    "SAV-STEPDOWN",
    "SAV-AGENCY",
    "SAV-COMMISSION",
}


@pytest.fixture(autouse=True)
def carried_forward(monkeypatch):
    """The engine's arithmetic on its own: no domain projecting the children (demand's
    projection is tested on its own below, with one the test registers)."""
    monkeypatch.setattr(projections, "_PROVIDERS", {})


@pytest.fixture
def year(finance_demo):
    return FinanceYear.objects.get(start_year=2024)


def test_march_2025_reproduces_the_published_expenditure_income_and_deficit(year):
    model = outturn(year=year, as_of=MARCH)
    assert model.expenditure == Decimal(99_205_745)
    assert model.income == Decimal(90_417_630)
    assert model.deficit == Decimal(8_788_115)
    assert model.cumulative_deficit == Decimal(19_707_432)


def test_with_no_changes_the_march_model_is_the_trusts_forecast_line_by_line(year):
    model = outturn(year=year, as_of=MARCH)
    assert model.trust_deficit == model.deficit
    assert {line.line.code: line.difference for line in model.lines} == dict.fromkeys(
        (line.line.code for line in model.lines), Decimal(0)
    )
    assert {line.line.code for line in model.lines if line.modelled} == MODELLED


def test_each_modelled_lines_months_fed_the_actual_drivers_are_its_actual_costs(year):
    """Every month's cost from that month's approved drivers adds up to the return's figure."""
    levels: dict[Period, dict[str, Decimal]] = {}
    for figure in DriverFigure.objects.filter(driver__year=year).select_related("driver"):
        levels.setdefault(figure.period, {})[figure.driver.measure] = figure.value
    march = {
        figure.line.code: figure.actual_to_date
        for figure in FinanceFigure.objects.filter(period=MARCH).select_related("line")
    }
    for line in year.lines.exclude(driver_model=""):
        costed = sum(
            month_cost(line.driver_model, levels[month], month, target=line.budget)
            for month in year.financial_year.months()
        )
        assert costed == march[line.code], line.code


def test_fed_the_actual_drivers_from_april_the_model_gives_each_modelled_lines_outturn(year):
    """A scenario that replays every month's actual drivers is the year that happened."""
    april = Period(2024, 4)
    changes = [
        Change(figure.driver.measure, figure.value, figure.period)
        for figure in DriverFigure.objects.filter(driver__year=year, period__gt=april)
        .select_related("driver")
        .order_by("period")
    ]
    model = outturn(year=year, as_of=april, changes=changes)
    march = outturn(year=year, as_of=MARCH)
    for code in MODELLED:
        assert model.line(code).outturn == march.line(code).outturn, code


def test_in_september_the_model_differs_from_the_trusts_run_rate_and_says_why(year):
    model = outturn(year=year, as_of=SEPTEMBER)
    residential = model.line("PL-RES")
    assert residential.modelled
    # Carried forward, the drivers cost what the Trust's run rate does, but for the
    # rounding of each month to the pound.
    assert abs(residential.difference) < 12
    other = model.line("PL-OTHER")
    assert not other.modelled
    assert other.difference == 0
    assert "Trust's own forecast" in other.explanation


def test_a_change_in_the_drivers_moves_the_deficit_and_none_leaves_it(year):
    base = outturn(year=year, as_of=SEPTEMBER)
    assert outturn(year=year, as_of=SEPTEMBER, changes=()).deficit == base.deficit
    same = Change(M.RESIDENTIAL_CHILDREN, Decimal(70), Period(2024, 10))  # September's level
    assert outturn(year=year, as_of=SEPTEMBER, changes=[same]).deficit == base.deficit
    more = Change(M.RESIDENTIAL_CHILDREN, Decimal(75), Period(2024, 10))
    moved = outturn(year=year, as_of=SEPTEMBER, changes=[more])
    # 5 more children at £6,630 a week from 1 October to 31 March (182 days), month by month.
    assert moved.deficit - base.deficit == pytest.approx(Decimal(5 * 6630 * 182) / 7, abs=6)


@pytest.mark.parametrize(
    ("how", "month", "expected"),
    [
        pytest.param("from", Period(2025, 1), [17.1, 17.1, 17.1, 12, 12, 12], id="from-january"),
        pytest.param("by", Period(2025, 3), [16.1, 15.1, 14.1, 13.0, 12.0, 11.0], id="by-march"),
    ],
)
def test_a_change_is_held_from_its_month_or_reached_in_a_straight_line_by_it(
    year, how, month, expected
):
    target = Decimal(12) if how == "from" else Decimal(11)
    change = Change(M.AGENCY_SHARE, target, month, how)
    model = outturn(year=year, as_of=SEPTEMBER, changes=[change])
    ahead = [level for _m, level, actual in model.paths[M.AGENCY_SHARE] if not actual]
    assert [round(float(level), 1) for level in ahead] == expected


def test_the_paths_give_each_driver_its_actual_months_and_the_plans_assumption(year):
    model = outturn(year=year, as_of=SEPTEMBER)
    residential = model.paths[M.RESIDENTIAL_CHILDREN]
    assert [level for _m, level, _a in residential[:6]] == demo.RESIDENTIAL_CHILDREN[:6]
    assert [actual for _m, _l, actual in residential] == [True] * 6 + [False] * 6
    assert model.plans[M.RESIDENTIAL_CHILDREN] == 62
    assert set(model.paths) == {measure for parts in FORMULAS.values() for measure in parts}


# --- sensitivity ---------------------------------------------------------------------------


def test_each_driver_moves_the_deficit_by_its_realistic_step_largest_swing_first(year):
    found = sensitivity(year=year, as_of=SEPTEMBER)
    swings = [item.swing for item in found]
    assert swings == sorted(swings, reverse=True)
    residential = next(item for item in found if item.measure == M.RESIDENTIAL_CHILDREN)
    assert residential.step_text == "±5 children"
    # 5 children at £6,630 a week for the 182 days from 1 October to 31 March.
    extra = Decimal(5 * 6630 * 182) / 7
    assert residential.high_deficit - residential.base_deficit == pytest.approx(extra, abs=6)
    assert residential.base_deficit - residential.low_deficit == pytest.approx(extra, abs=6)


@pytest.mark.parametrize(
    ("measure", "more_is_worse"),
    [
        pytest.param(M.AGENCY_SHARE, True, id="agency-share-is-a-cost"),
        pytest.param(M.HOME_OFFICE_CHILDREN, False, id="home-office-is-income"),
        pytest.param(M.SAVINGS_DELIVERED, False, id="savings-delivered-reduce-spending"),
    ],
)
def test_a_cost_driver_raises_the_deficit_and_income_or_savings_lower_it(
    year, measure, more_is_worse
):
    item = next(item for item in sensitivity(year=year, as_of=SEPTEMBER) if item.measure == measure)
    assert (item.high_deficit > item.base_deficit > item.low_deficit) is more_is_worse
    assert (item.low_deficit > item.base_deficit > item.high_deficit) is not more_is_worse


def test_after_march_there_is_nothing_left_for_a_driver_to_move(year):
    found = sensitivity(year=year, as_of=MARCH)
    assert {(item.low_deficit, item.high_deficit) for item in found} == {
        (Decimal(8_788_115), Decimal(8_788_115))
    }


def test_every_step_says_why_it_is_realistic():
    assert all(step.reason.endswith(".") and step.step > 0 for step in STEPS)


# --- next year and the medium term ---------------------------------------------------------


def test_next_year_rolls_the_contract_sum_forward_from_the_published_closing_deficit(year):
    ahead = next_years(from_year=year)
    assert [a.label for a in ahead] == ["2025-26", "2026-27", "2027-28"]
    assert [a.has_plan for a in ahead] == [True, False, False]
    assert {a.contract_sum for a in ahead} == {Decimal(80_800_000)}
    assert ahead[0].opening_cumulative_deficit == Decimal(19_707_432)
    assert ahead[0].planned_deficit == Decimal(11_982_370)  # the seeds' "c. £12m"
    for before, after in zip(ahead, ahead[1:], strict=False):
        assert after.opening_cumulative_deficit == before.cumulative_deficit
    for one in ahead:
        assert one.deficit == one.expenditure - one.income - one.savings_effect
        assert one.cumulative_deficit == one.opening_cumulative_deficit + one.deficit


def test_next_years_residential_is_marchs_children_at_marchs_cost_priced_up_each_april(year):
    ahead = next_years(from_year=year)
    weekly = Decimal(79) * Decimal(6748) * (1 + INFLATION["placements"].percent / 100)
    first = next(line for line in ahead[0].lines if line.line.code == "PL-RES")
    assert first.modelled
    assert first.outturn == pytest.approx(weekly * 365 / 7, abs=12)
    second = next(line for line in ahead[1].lines if line.line.code == "PL-RES")
    assert second.outturn == pytest.approx(weekly * Decimal("1.04") * 365 / 7, abs=12)


def test_a_scenario_carried_into_next_year_moves_its_deficit_and_no_change_moves_nothing(year):
    base = next_years(from_year=year)
    assert [a.deficit for a in next_years(from_year=year, changes=())] == [a.deficit for a in base]
    fewer = Change(M.RESIDENTIAL_CHILDREN, Decimal(70), Period(2025, 4))
    moved = next_years(from_year=year, changes=[fewer])
    saved = Decimal(9) * Decimal(6748) * Decimal("1.04") * 365 / 7
    assert base[0].deficit - moved[0].deficit == pytest.approx(saved, abs=12)
    assert moved[2].deficit < base[2].deficit  # held from April 2025 on


def test_an_earlier_month_carries_its_own_drivers_forward(year):
    september = next_years(from_year=year, as_of=SEPTEMBER)
    march = next_years(from_year=year)
    # 70 residential children in September, 79 in March: the later start costs more.
    assert september[0].deficit < march[0].deficit


# --- demand drives cost --------------------------------------------------------------------


@pytest.fixture
def residential_rising(monkeypatch):
    """
    Demand projecting residential placements to grow by 1/70 of their level each month,
    from a count of its own (35) that is not the return's (70): the model takes the growth.
    """

    def project(after: Period, months: int) -> projections.Projected:
        return projections.Projected(
            key="placements.residential",
            title="Children in residential placements",
            after=after,
            values=tuple(Decimal(35) + Decimal(i) / 2 for i in range(1, months + 1)),
            basis="one more each month (a test's projection)",
            start=Decimal(35),
        )

    monkeypatch.setattr(projections, "_PROVIDERS", {})
    projections.register(
        ["placements.residential"],
        lambda after, months: {"placements.residential": project(after, months)},
    )


def test_demands_projection_is_the_path_the_model_costs_and_the_difference_is_said(
    year, residential_rising
):
    model = outturn(year=year, as_of=SEPTEMBER)
    ahead = [level for _m, level, actual in model.paths[M.RESIDENTIAL_CHILDREN] if not actual]
    assert ahead == [pytest.approx(Decimal(n)) for n in range(71, 77)]
    residential = model.line("PL-RES")
    # 1 + 2 + ... + 6 more children than September's 70, month by month, at £6,630 a week.
    extra = sum(
        n * 6630 * days for n, days in zip(range(1, 7), (31, 30, 31, 31, 28, 31), strict=True)
    )
    assert residential.difference == pytest.approx(Decimal(extra) / 7, abs=6)
    assert "Children in residential placements: 70 in Sep-24, 76 by Mar-25" in (
        residential.explanation
    )
    assert "carries Sep-24's run rate to 31 March" in residential.explanation
    assert model.deficit - model.trust_deficit == residential.difference


def test_without_demands_projection_the_last_actual_is_carried_forward(year):
    model = outturn(year=year, as_of=SEPTEMBER)
    ahead = [level for _m, level, actual in model.paths[M.RESIDENTIAL_CHILDREN] if not actual]
    assert ahead == [Decimal(70)] * 6


@pytest.mark.parametrize("month", [SEPTEMBER, MARCH], ids=["september", "march"])
def test_the_dashboards_model_from_its_own_figures_is_the_model_read_afresh(year, month):
    from_position = position_outturn(finance_position(month))
    afresh = outturn(year=year, as_of=month)
    assert from_position.deficit == afresh.deficit
    assert [(line.outturn, line.explanation) for line in from_position.lines] == [
        (line.outturn, line.explanation) for line in afresh.lines
    ]
    assert from_position.paths == afresh.paths
