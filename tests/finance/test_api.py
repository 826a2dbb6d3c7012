"""The read-only finance API (`/api/v1/finance/?period=2025-03`) as Power BI and scripts use it."""

import re

import pytest
from django.test import Client

from opb_portal.accounts.models import ApiToken, User
from opb_portal.core import projections

from .builders import add_years_before

URL = "/api/v1/finance/"
KEYS = {
    "period",
    "financial_year",
    "contract_sum",
    "income_budget",
    "income_forecast",
    "expenditure_budget",
    "expenditure_actual_to_date",
    "expenditure_forecast",
    "planned_deficit",
    "forecast_deficit",
    "variance_against_plan",
    "opening_cumulative_deficit",
    "forecast_cumulative_deficit",
    "status",
    "groups",
    "lines",
    "drivers",
    "driver_cost",
    "model",
    "illustrative",
    "return",
}
LINE_KEYS = {
    "line",
    "name",
    "group",
    "kind",
    "budget",
    "actual_to_date",
    "forecast_outturn",
    "variance",
    "status",
    "commentary",
}


@pytest.fixture
def officer(client, finance_demo):
    client.force_login(User.objects.get(username="board"))
    return client


def _get(client, period="2025-03") -> dict:
    response = client.get(URL, {"period": period})
    assert response.status_code == 200
    return response.json()


def test_march_2025_is_the_published_outturn_in_whole_pounds(officer):
    body = _get(officer)
    assert set(body) == KEYS
    assert {key: body[key] for key in KEYS if key.endswith(("deficit", "_sum", "forecast"))} == {
        "contract_sum": 80_800_000,
        "income_forecast": 90_417_630,
        "expenditure_forecast": 99_205_745,
        "forecast_deficit": 8_788_115,
        "opening_cumulative_deficit": 10_919_317,
        "forecast_cumulative_deficit": 19_707_432,
        "planned_deficit": 2_264_162,
    }
    assert (body["period"], body["financial_year"], body["status"]) == ("2025-03", "2024-25", "red")


def test_money_is_json_integers_never_floats_or_strings(officer):
    body = _get(officer)
    money = [body[key] for key in ("income_budget", "expenditure_budget", "variance_against_plan")]
    money += [line[key] for line in body["lines"] for key in ("budget", "forecast_outturn")]
    assert all(type(value) is int for value in money)


def test_each_line_has_exactly_the_documented_keys(officer):
    lines = _get(officer)["lines"]
    assert len(lines) == 19
    assert all(set(line) == LINE_KEYS for line in lines)
    residential = next(line for line in lines if line["line"] == "PL-RES")
    assert {k: residential[k] for k in ("group", "kind", "budget", "variance", "status")} == {
        "group": "placements",
        "kind": "expenditure",
        "budget": 20_981_792,
        "variance": 3_380_468,
        "status": "red",
    }


def test_groups_carry_the_published_group_figures(officer):
    groups = {group["group"]: group for group in _get(officer)["groups"]}
    assert [groups[g]["forecast_outturn"] for g in ("staffing", "placements", "overheads")] == [
        33_647_039,
        57_798_488,
        7_760_218,
    ]
    assert groups["savings"]["actual_to_date"] == 2_900_000


def test_drivers_and_their_cost(officer):
    body = _get(officer, "2024-12")
    drivers = {driver["driver"]: driver for driver in body["drivers"]}
    assert drivers["DRV-RES"] == {
        "driver": "DRV-RES",
        "name": "Children in residential placements",
        "unit": "children",
        "plan": 62,
        "value": 74,
        "difference": 12,
    }
    assert body["driver_cost"] == {
        "weeks_remaining": 12.86,
        "volume_to_year_end": 1_033_869,
        "price_to_year_end": 153_849,
        "to_year_end": 1_187_718,
        "full_year": (12 * 6701 + 193 * 62) * 52,
    }


def test_the_return_behind_the_figures_is_described(officer):
    summary = _get(officer)["return"]
    assert {k: summary[k] for k in ("status", "version", "submitted_by", "approved_by")} == {
        "status": "approved",
        "version": 1,
        "submitted_by": "finance.submitter",
        "approved_by": "reviewer",
    }


def test_the_api_agrees_with_the_dashboard(officer):
    body = _get(officer)
    html = officer.get("/finance/", {"period": "2025-03"}).content.decode()
    shown = dict(re.findall(r'data-headline="(\w+)".*?data-value="(-?\d+)"', html, re.S))
    assert shown == {
        key: str(body[key])
        for key in (
            "forecast_deficit",
            "forecast_cumulative_deficit",
            "income_forecast",
            "expenditure_forecast",
            "variance_against_plan",
        )
    }


def test_a_month_without_a_return_has_the_plan_and_no_forecasts(officer):
    body = _get(officer, "2025-04")
    assert body["planned_deficit"] == 11_982_370
    assert (body["forecast_deficit"], body["return"], body["status"]) == (None, None, "missing")
    assert {line["status"] for line in body["lines"]} == {"missing"}


def test_a_month_without_a_plan_is_empty(officer):
    body = _get(officer, "2031-01")
    assert (body["contract_sum"], body["lines"], body["groups"]) == (None, [], [])


def test_a_bad_month_is_a_400_with_a_json_reason(officer):
    response = officer.get(URL, {"period": "March"})
    assert response.status_code == 400
    sentence = (
        "period must be a month written as YYYY-MM, for example 2025-03, from 2000-01 to 2099-12."
    )
    assert response.json() == {
        "error": sentence,
        "problems": [{"parameter": "period", "message": sentence}],
    }


def test_a_script_signs_in_with_a_token_and_a_visitor_gets_a_401(finance_demo):
    board = User.objects.get(username="board")
    key = ApiToken.issue(user=board)[1]
    assert Client().get(URL, {"period": "2025-03"}).status_code == 401
    response = Client().get(URL, {"period": "2025-03"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_the_driver_models_outturn_is_marked_as_a_forecast_beside_the_trusts(officer, monkeypatch):
    monkeypatch.setattr(projections, "_PROVIDERS", {})  # the last actuals carried forward
    model = _get(officer, period="2024-09")["model"]
    assert model["forecast"] is True
    assert model["basis"].startswith("Driver model: actual costs to 2024-09")
    assert (model["deficit"], model["trust_deficit"], model["difference"]) == (
        6_377_620,
        6_377_620,
        0,
    )
    residential = next(line for line in model["lines"] if line["line"] == "PL-RES")
    assert residential["modelled"] is True
    assert residential["outturn"] == residential["trust_forecast"] == 23_358_258


def test_a_month_without_figures_has_no_model(officer):
    assert _get(officer, period="2025-04")["model"] is None


# 11 queries: session, user, savepoint, the year's plan, its lines, its drivers, the month's
# return, its events with their people, the line figures and the driver figures of the year
# to date, release of the savepoint
API_QUERIES = 11


def test_the_api_query_count_does_not_grow_with_history(officer, django_assert_num_queries):
    with django_assert_num_queries(API_QUERIES):
        officer.get(URL, {"period": "2025-03"})
    add_years_before(2024, 3)
    with django_assert_num_queries(API_QUERIES):
        body = officer.get(URL, {"period": "2025-03"}).json()
    assert body["forecast_deficit"] == 8_788_115
