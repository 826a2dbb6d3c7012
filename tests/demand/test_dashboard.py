"""The demand dashboard and its API, as a council officer sees them."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from demand import selectors
from finance.models import CostDriver, DriverFigure, FinanceYear
from opb_portal.periods import Period


@pytest.fixture
def officer(client, demo, demand, reviewer):
    client.force_login(reviewer)
    return client


def test_the_plan_assumed_62_residential_children_at_6508_a_week(demo, demand):
    plan = selectors.plan_against_actual(Period(2025, 3))
    assert (plan.plan_children, plan.plan_weekly_cost) == (Decimal(62), Decimal(6508))
    assert (plan.children, plan.weekly_cost) == (Decimal(79), Decimal(6748))


def test_the_cost_of_the_difference_is_volume_plus_price(demo, demand):
    cost = selectors.plan_against_actual(Period(2025, 3)).cost
    # 17 more children at £6,748 a week, and £240 more a week for the 62 planned.
    assert cost.volume_per_week == Decimal(17 * 6748)
    assert cost.price_per_week == Decimal(240 * 62)
    assert cost.full_year == Decimal((17 * 6748 + 240 * 62) * 52)
    assert cost.to_year_end == 0  # March: no weeks left


def test_children_we_care_for_stand_beside_a_plan_that_makes_no_assumption_for_them(demand):
    rows = {row.label: row for row in selectors.plan_against_actual(Period(2025, 3)).rows}
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


def test_a_plan_that_assumes_children_in_care_is_set_beside_the_finance_returns_count(demand):
    year = FinanceYear.objects.get(start_year=2024)
    driver = CostDriver.objects.create(
        year=year, code="CIC", measure=CostDriver.Measure.CHILDREN_IN_CARE, plan=Decimal(800)
    )
    DriverFigure.objects.create(driver=driver, period="2025-03-01", value=Decimal(816))

    rows = selectors.plan_against_actual(Period(2025, 3)).rows

    [in_care] = [row for row in rows if row.label == "Children we care for"]
    assert (in_care.plan_text, in_care.actual_text, in_care.difference_text) == (
        "800",
        "816",
        "+16",
    )


def test_before_march_the_count_of_children_we_care_for_is_the_latest_one(demand):
    rows = {row.label: row for row in selectors.plan_against_actual(Period(2024, 12)).rows}
    assert (rows["Children we care for"].actual_text, rows["Children we care for"].actual_from) == (
        "808",
        "31 March 2024",
    )


def test_without_a_plan_there_is_no_cost_rather_than_a_guess(demand):
    # 2022-23 has no finance plan in the portal.
    plan = selectors.plan_against_actual(Period(2023, 3))
    assert plan.plan_children is None
    assert plan.cost is None


def test_the_dashboard_shows_march_2025(officer):
    response = officer.get(reverse("demand:dashboard"), {"period": "2025-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Demand: March 2025" in html
    assert "Cost of the difference: <strong>£129,596 a week</strong>" in html
    assert html.count("<svg") == 4


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Children on a child protection plan", id="cp-plans"),
        pytest.param("40.7", id="cp-rate"),
        pytest.param("429.3", id="referral-rate"),
        pytest.param("(differs by -13.1)", id="icpc-published-rate-differs"),
        pytest.param("Green ≤ 45.0", id="cp-target"),
    ],
)
def test_the_dashboard_shows_the_years_rates(officer, text):
    html = officer.get(reverse("demand:dashboard"), {"period": "2025-03"}).content.decode()
    assert text in html


def test_the_dashboard_defaults_to_the_latest_month_with_figures(officer):
    html = officer.get(reverse("demand:dashboard")).content.decode()
    assert "Demand: March 2025" in html


def test_a_bad_period_is_400_with_the_latest_month_instead(officer):
    response = officer.get(reverse("demand:dashboard"), {"period": "someday"})
    assert response.status_code == 400
    assert "Showing March 2025 instead" in response.content.decode()


def test_placements_by_type_show_the_latest_figure_of_each(demand):
    position = selectors.demand_position(Period(2025, 3))
    latest = {f.measure.code: (f.number, f.value.label) for f in position.placements}
    assert latest["placed_internal_foster"] == (Decimal(266), "Mar-25")
    assert latest["placed_external_foster"] == (Decimal(295), "Mar-25")
    assert latest["placed_residential"] == (Decimal(62), "Mar-24")
    assert latest["placed_connected"] == (Decimal(192), "Mar-20")


def test_the_dashboard_runs_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 12 queries: session, user, the request's savepoint; the measures, the child
    # population, every figure to March 2025; the finance plan, its lines, its drivers,
    # the month's driver figures, the latest count of children we care for; the
    # savepoint's release
    with django_assert_num_queries(12):
        officer.get(reverse("demand:dashboard"), {"period": "2025-03"})


def test_the_api_gives_the_months_demand_as_json(officer):
    response = officer.get(reverse("api:demand"), {"period": "2025-03"})
    data = json.loads(response.content)
    assert response.status_code == 200
    cp = next(f for f in data["year"] if f["code"] == "cp_plans")
    # Figures are JSON numbers, series lists of {period, value}: as pandas and Power BI read them.
    assert (cp["value"], cp["rate_per_10000"], cp["status"]) == (353, 40.7, "green")
    internal = next(p for p in data["foster_placements"] if p["code"] == "placed_internal_foster")
    assert internal["series"][-1] == {"period": "2025-03", "value": 266}
    assert data["plan"]["residential_children"] == {"plan": 62, "actual": 79}
    assert data["plan"]["cost_per_week"] == 129596


@pytest.mark.parametrize("period", ["", "2025-13", "March"])
def test_the_api_answers_a_bad_period_with_400_json(officer, period):
    response = officer.get(reverse("api:demand"), {"period": period})
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith("period must be")
