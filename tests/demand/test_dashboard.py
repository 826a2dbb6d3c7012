"""The demand dashboard and its API, as a council officer sees them."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from demand import selectors
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
    # 11 queries: session, user, the request's savepoint; the measures, the child
    # population, every figure to March 2025; the finance plan, its lines, its drivers,
    # the month's driver figures; the savepoint's release
    with django_assert_num_queries(11):
        officer.get(reverse("demand:dashboard"), {"period": "2025-03"})


def test_the_api_gives_the_months_demand_as_json(officer):
    response = officer.get(reverse("api:demand"), {"period": "2025-03"})
    data = json.loads(response.content)
    assert response.status_code == 200
    cp = next(f for f in data["year"] if f["code"] == "cp_plans")
    assert (cp["value"], cp["rate_per_10000"], cp["status"]) == ("353", "40.7", "green")
    assert data["foster_placements"]["placed_internal_foster"]["2025-03"] == "266"
    assert data["plan"]["residential_children"] == {"plan": "62", "actual": "79"}
    assert data["plan"]["cost_per_week"] == "129596"


@pytest.mark.parametrize("period", ["", "2025-13", "March"])
def test_the_api_answers_a_bad_period_with_400_json(officer, period):
    response = officer.get(reverse("api:demand"), {"period": period})
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith("period must be")
