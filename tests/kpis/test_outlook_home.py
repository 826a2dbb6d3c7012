"""The home page's "Looking ahead": the KPIs whose forecast warns of red, for every role."""

from __future__ import annotations

import re

import pytest

from kpis.models import KpiForecast
from opb_portal.accounts.models import User

KEY = "kpislooking_ahead"


def _panel(client, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    html = client.get("/").content.decode()
    start = html.index(f'id="{KEY}"')
    end = html.find('<section class="home-panel', start)
    return re.sub(r"\s+", " ", html[start : end if end > 0 else None])


def _march(code: str) -> KpiForecast:
    return KpiForecast.objects.get(
        kpi__framework__code="2024", kpi__code=code, last_period="2025-03-01"
    )


def _steady_green() -> None:
    """Every March forecast green all the way: nothing to warn of."""
    for forecast in KpiForecast.objects.filter(last_period="2025-03-01"):
        forecast.steps = [{**step, "status": "green", "red": 0.0} for step in forecast.steps]
        forecast.last_status, forecast.red_streak = "green", 0
        forecast.save()


def _turns_red(code: str, chance: float = 0.8) -> None:
    forecast = _march(code)
    forecast.steps[0] = {**forecast.steps[0], "status": "red", "red": chance}
    forecast.save()


@pytest.mark.parametrize(
    "username", ["kpi.submitter", "finance.submitter", "reviewer", "board", "admin"]
)
def test_every_role_that_reads_the_dashboards_sees_it(client, demo, username):
    _steady_green()

    panel = _panel(client, username)

    assert "Looking ahead" in panel
    assert "Forecasts, not figures" in panel
    assert "No KPI is forecast to turn red." in panel


def test_a_kpi_turning_red_next_month_is_listed_as_a_forecast_with_its_accuracy(client, demo):
    _steady_green()
    _turns_red("PI4")

    panel = _panel(client, "board")

    assert "/kpis/2024/PI4/" in panel
    assert "Forecast: Red next month (80%)" in panel
    assert "the 1-month forecast was within" in panel
    assert "Method: " in panel
    assert "No KPI is forecast to turn red." not in panel
    assert "/kpis/2024/PI1/" not in panel


def test_an_even_chance_of_red_is_listed_and_less_is_not(client, demo):
    _steady_green()
    for code, chance in (("PI2", 0.5), ("PI3", 0.4)):
        forecast = _march(code)
        forecast.steps[0] = {**forecast.steps[0], "red": chance}
        forecast.save()

    panel = _panel(client, "reviewer")

    assert "/kpis/2024/PI2/" in panel
    assert "Chance red next month 50%" in panel
    assert "/kpis/2024/PI3/" not in panel


def test_before_any_approved_kpi_figure_the_panel_is_left_out(client, db, reviewer):
    client.force_login(reviewer)
    assert f'id="{KEY}"' not in client.get("/").content.decode()
