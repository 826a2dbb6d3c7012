"""The KPIs' outlook in the API (`/api/v1/kpis/outlook/`): every month ahead marked a forecast."""

from __future__ import annotations

import pytest

from kpis.models import KpiForecast

URL = "/api/v1/kpis/outlook/"


@pytest.fixture
def officer(client, demo, reviewer):
    client.force_login(reviewer)
    return client


def test_each_kpis_outlook_is_a_forecast_with_its_interval_chance_method_and_accuracy(officer):
    body = officer.get(URL, {"period": "2025-03"}).json()

    assert (body["period"], body["framework"]) == ("2025-03", "2024")
    assert len(body["kpis"]) == 15
    pi1 = next(kpi for kpi in body["kpis"] if kpi["code"] == "PI1")
    stored = KpiForecast.objects.get(
        kpi__framework__code="2024", kpi__code="PI1", last_period="2025-03-01"
    )
    assert pi1["kind"] == "forecast"
    assert pi1["made_from"] == "2025-03"
    assert pi1["method_label"] == stored.method_label
    assert "the 1-month forecast was within" in pi1["accuracy"]["sentence"]
    assert len(pi1["months"]) == 6
    first = pi1["months"][0]
    assert first["kind"] == "forecast"
    assert first["period"] == "2025-04"
    assert first["lower"] <= first["value"] <= first["upper"]
    assert first["value"] == float(stored.steps[0]["value"])
    assert 0 <= first["chance_red"] <= 1
    assert first["status"] in {"green", "amber", "red"}
    assert {m["kind"] for kpi in body["kpis"] for m in kpi["months"]} == {"forecast"}


def test_a_month_reads_the_latest_forecast_made_from_it_or_before(officer):
    body = officer.get(URL, {"period": "2025-06"}).json()

    assert {kpi["made_from"] for kpi in body["kpis"]} == {"2025-03"}


def test_a_month_before_any_forecast_has_no_outlook(officer):
    body = officer.get(URL, {"period": "2024-05"}).json()

    assert body["kpis"] == []


def test_the_outlook_takes_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 7 queries: session, user, SAVEPOINT, the framework in force, its KPIs, their latest
    # forecasts, RELEASE SAVEPOINT.
    with django_assert_num_queries(7):
        officer.get(URL, {"period": "2025-03"})
