"""
Issue 17's "done means", on the demonstration as `make demo` loads it: the scorecard, KPI
pages, home page and pack show outlooks that are marked as forecasts and carry their own
accuracy; the finance page has the driver model, saved scenarios and next year's position;
exports and the API mark every forecast. (The accuracy figures themselves are
`bench/forecast.py`'s; the model's arithmetic is tests/finance/test_model.py's.)
"""

from __future__ import annotations

import re

import pytest

from kpis.models import KpiForecast
from opb_portal.accounts.models import User
from opb_portal.periods import Period

MARCH = Period(2025, 3)


@pytest.fixture
def board(client, demo):
    client.force_login(User.objects.get(username="board"))
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_approved_kpi_return_left_a_forecast_of_every_kpi_with_its_inputs(demo):
    made = KpiForecast.objects.filter(last_period=MARCH)
    assert made.count() == 15
    for forecast in made:
        assert len(forecast.inputs) == 64
        assert forecast.versions  # the approved return versions it was made from
        assert len(forecast.steps) == 6


def test_the_scorecard_gives_each_kpi_an_outlook_marked_as_a_forecast(board):
    html = page(board, "/kpis/scorecard/?period=2025-03")
    outlooks = re.findall(
        r'<a class="outlook forecast" href="/kpis/2024/(PI\d+)/#looking-ahead">', html
    )
    assert len(outlooks) == 15
    assert html.count('<span class="visually-hidden">Forecast: </span>') == 15


def test_a_kpi_page_shows_its_outlook_as_a_forecast_with_its_own_accuracy(board):
    html = page(board, "/kpis/2024/PI1/")
    ahead = html[html.index('id="looking-ahead"') :]
    assert "Forecast, not figures" in ahead
    # One year of history: the method was tested on the six months it could be.
    assert "Over the 6 months it could be tested, the 1-month forecast was within" in ahead
    # On the history chart: the months ahead dashed and hollow over their interval.
    assert 'class="line forecast"' in html
    assert 'class="forecast-band"' in html
    # A percentage is never forecast past 100%.
    shown = [float(n) for n in re.findall(r"Forecast: </span>(\d+\.\d)%", ahead)]
    for lower, upper in re.findall(r"(\d+\.\d)% to (\d+\.\d)%", ahead):
        shown += [float(lower), float(upper)]
    assert shown
    assert max(shown) <= 100


def test_the_home_page_looks_ahead_in_forecasts(board):
    html = page(board, "/")
    assert "Looking ahead" in html
    assert "Forecasts, not figures" in html
    assert "No KPI is forecast to turn red." in html


def test_the_pack_looks_ahead_and_shows_the_scenarios_the_chair_chose(demo_march_pack):
    text = "\n".join(demo_march_pack.pages)
    ahead = next(p for p in demo_march_pack.pages if "Looking ahead: the KPIs' forecasts\n" in p)
    assert "Forecasts, not figures" in ahead
    assert "it could be tested, the" in ahead
    assert "Finance: deficit scenarios (model)" in text
    assert "Model: Agency share falls to 12% by March" in text
    assert "Model: Residential stays at 79 and the weekly cost" in text


def test_the_finance_page_has_the_driver_model_scenarios_and_next_years_position(board):
    html = page(board, "/finance/?period=2025-03")
    assert 'id="model-heading"' in html
    assert "Model: a forecast" in html
    assert '<a href="/finance/scenarios/">Deficit scenarios</a>' in html
    ahead = html[html.index('id="ahead-heading"') :]
    assert re.search(r'<th scope="row">2025-26</th>', ahead)
    assert "2027-28" in ahead
    scenarios = page(board, "/finance/scenarios/")
    assert "Agency share falls to 12% by March" in scenarios
    assert "Residential stays at 79 and the weekly cost rises to £7,300 from October" in scenarios


def test_the_api_and_the_export_mark_every_forecast(board):
    kpis = board.get("/api/v1/kpis/outlook/?period=2025-03").json()["kpis"]
    assert len(kpis) == 15
    assert {kpi["kind"] for kpi in kpis} == {"forecast"}
    assert {month["kind"] for kpi in kpis for month in kpi["months"]} == {"forecast"}
    finance = board.get("/api/v1/finance/?period=2024-09").json()
    assert finance["model"]["forecast"] is True
    export = board.get("/kpis/scorecard.csv?period=2025-03").content.decode("utf-8-sig")
    assert "Forecast next month (not a figure)" in export.splitlines()[0]
