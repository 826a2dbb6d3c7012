"""
Demand against the plan's assumptions (finance.against_plan): the plan's cost drivers beside
the month's approved figures, and the count of children we care for that demand keeps.

Moved from tests/demand/test_dashboard.py when finance became its owner (issue 13); the
demand dashboard and the finance pages draw it through the same panel and partial.
"""

from decimal import Decimal

import pytest

from finance.against_plan import AGAINST_PLAN, IN_CARE, Assumption, plan_against_actual
from finance.demo import DRIVERS_2024
from finance.models import CostDriver, DriverFigure, FinanceYear
from opb_portal.core import counts, panels
from opb_portal.periods import Period


def test_the_plan_assumed_62_residential_children_at_6508_a_week(demo):
    plan = plan_against_actual(Period(2025, 3))
    assert (plan.plan_children, plan.plan_weekly_cost) == (Decimal(62), Decimal(6508))
    assert (plan.children, plan.weekly_cost) == (Decimal(79), Decimal(6748))


def test_the_cost_of_the_difference_is_volume_plus_price(demo):
    cost = plan_against_actual(Period(2025, 3)).cost
    # 17 more children at £6,748 a week, and £240 more a week for the 62 planned.
    assert cost.volume_per_week == Decimal(17 * 6748)
    assert cost.price_per_week == Decimal(240 * 62)
    assert cost.full_year == Decimal((17 * 6748 + 240 * 62) * 52)
    assert cost.to_year_end == 0  # March: no weeks left


def test_children_we_care_for_stand_beside_a_plan_that_makes_no_assumption_for_them(demo):
    rows = {row.label: row for row in plan_against_actual(Period(2025, 3)).rows}
    in_care = rows["Children we care for"]
    assert (in_care.plan_text, in_care.actual_text, in_care.actual_from) == (
        "No assumption",
        "816",
        "31 March 2025",
    )
    residential = rows["Children in residential placements"]
    assert (residential.plan_text, residential.actual_text, residential.difference_text) == (
        "62",
        "79",
        "+17",
    )
    weekly = rows["Average weekly residential cost"]
    assert (weekly.plan_text, weekly.actual_text, weekly.difference_text) == (
        "£6,508",
        "£6,748",
        "+£240",
    )


def test_a_plan_that_assumes_children_in_care_is_set_beside_the_finance_returns_count(demo):
    year = FinanceYear.objects.get(start_year=2024)
    driver = CostDriver.objects.create(
        year=year, code="CIC", measure=CostDriver.Measure.CHILDREN_IN_CARE, plan=Decimal(800)
    )
    DriverFigure.objects.create(driver=driver, period="2025-03-01", value=Decimal(816))

    rows = plan_against_actual(Period(2025, 3)).rows

    [in_care] = [row for row in rows if row.label == "Children we care for"]
    assert (in_care.plan_text, in_care.actual_text, in_care.difference_text) == (
        "800",
        "816",
        "+16",
    )


def test_before_march_the_count_of_children_we_care_for_is_the_latest_one(demo):
    rows = {row.label: row for row in plan_against_actual(Period(2024, 12)).rows}
    assert (rows["Children we care for"].actual_text, rows["Children we care for"].actual_from) == (
        "808",
        "31 March 2024",
    )


def test_without_a_plan_there_is_no_cost_rather_than_a_guess(demo):
    # 2022-23 has no finance plan in the portal.
    plan = plan_against_actual(Period(2023, 3))
    assert plan.plan_children is None
    assert plan.cost is None


def test_without_a_domain_keeping_the_count_the_row_is_left_out(demo, monkeypatch):
    # A portal without demand: the plan's rows stand alone, nothing is guessed.
    monkeypatch.setattr(counts, "_COUNTS", {})
    rows = [row.label for row in plan_against_actual(Period(2025, 3)).rows]
    # Every driver of the plan, in its order (the driver model's since issue 17).
    assert rows == [CostDriver.Measure(measure).label for _c, measure, _p, _s in DRIVERS_2024]
    assert rows[:3] == [
        "Children in residential placements",
        "Average weekly residential cost",
        "Children in supported accommodation",
    ]


def test_the_count_beside_the_plan_is_demands_under_its_key(demo):
    count = counts.latest(IN_CARE, Period(2025, 3))
    assert (count.title, count.number, count.as_of) == (
        "Children we care for",
        Decimal(816),
        "31 March 2025",
    )


def test_finance_offers_the_panel_the_demand_pages_show(demo, django_assert_num_queries):
    # 5 queries: the count of children we care for, the year's plan, its lines, its
    # drivers, the month's driver figures
    with django_assert_num_queries(5):
        shown = panels.shown(AGAINST_PLAN, Period(2025, 3))
    assert shown.template == "finance/partials/against_plan.html"
    assert shown.data["residential_children"] == {"plan": 62, "actual": 79}
    assert shown.data["cost_per_week"] == 129596


@pytest.mark.parametrize("key", ["finance.nothing", "", "FINANCE.AGAINST_PLAN"])
def test_a_panel_nobody_offers_is_none_without_a_query(db, key, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert panels.shown(key, Period(2025, 3)) is None


@pytest.mark.parametrize(
    ("unit", "plan", "actual", "said"),
    [
        pytest.param("%", "15", "19.1", ("15.0%", "19.1%", "+4.1 points"), id="a-share-in-points"),
        pytest.param("%", "15", "12.5", ("15.0%", "12.5%", "−2.5 points"), id="a-share-that-fell"),
        pytest.param("FTE", "187", "179.42", ("187.00", "179.42", "−7.58"), id="staff-in-fte"),
        pytest.param("children", "62", "79", ("62", "79", "+17"), id="children-as-counted"),
    ],
)
def test_each_assumption_is_written_in_its_drivers_unit(unit, plan, actual, said):
    row = Assumption("A driver", Decimal(plan), Decimal(actual), "the finance return", unit=unit)
    assert (row.plan_text, row.actual_text, row.difference_text) == said
