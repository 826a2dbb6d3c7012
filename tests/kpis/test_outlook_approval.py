"""
Forecasts are made when a KPI return is approved (`KpiReturnSpec.apply`), and by
`manage.py refresh_forecasts` for an administrator.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from kpis.models import KpiDefinition, KpiForecast, KpiValue
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions.demo import approved_return
from opb_portal.submissions.models import Return

MARCH = Period(2025, 3)
JANUARY = Period(2025, 1)


def _approve(period: Period, data: dict) -> None:
    approved_return(
        domain="kpis",
        period=period,
        data=data,
        submitter=User.objects.get(username="kpi.submitter"),
        reviewer=User.objects.get(username="reviewer"),
    )


def _approved_data(period: Period) -> dict:
    return Return.objects.get(domain="kpis", period=period).approved_version.data


def test_the_demo_leaves_one_forecast_per_kpi_for_each_month_it_can_forecast(demo):
    kpis = KpiDefinition.objects.filter(framework__code="2024").count()
    by_month = Counter(KpiForecast.objects.values_list("last_period", flat=True))

    assert by_month[MARCH] == kpis == 15
    # Each month either forecasts every KPI or, with too short a history yet, none.
    assert set(by_month.values()) == {kpis}
    valued = set(KpiValue.objects.values_list("kpi_id", "period"))
    assert set(KpiForecast.objects.values_list("kpi_id", "last_period")) <= valued


def test_each_forecast_names_the_return_versions_it_was_made_from(demo):
    forecast = KpiForecast.objects.get(
        kpi__framework__code="2024", kpi__code="PI1", last_period=MARCH
    )
    used = set(
        KpiValue.objects.filter(kpi=forecast.kpi, period__lte=MARCH).values_list(
            "version_id", flat=True
        )
    )
    assert set(forecast.versions) == used
    assert len(used) == 12


def test_approving_a_new_month_forecasts_it(demo):
    april = Period(2025, 4)
    _approve(april, _approved_data(MARCH))

    made = KpiForecast.objects.filter(last_period=april)
    assert made.count() == 15
    assert all(f.steps[0]["period"] == "2025-05" for f in made)


def test_a_correction_of_an_older_month_remakes_that_months_forecast_and_leaves_later_ones(demo):
    before = {
        (f.kpi.code, f.last_period): (f.pk, f.inputs)
        for f in KpiForecast.objects.select_related("kpi").filter(last_period__gte=JANUARY)
    }
    data = _approved_data(JANUARY)
    data["PI1"] = {**data["PI1"], "value": "55.0", "numerator": "", "denominator": ""}

    _approve(JANUARY, data)

    after = {
        (f.kpi.code, f.last_period): (f.pk, f.inputs)
        for f in KpiForecast.objects.select_related("kpi").filter(last_period__gte=JANUARY)
    }
    assert after.keys() == before.keys()
    changed = {key for key in after if after[key] != before[key]}
    # January's figures now come from a new return version, so every January forecast is made
    # again (PI1's from its corrected figure); February's and March's are kept as made.
    assert changed == {(code, JANUARY) for code, _ in before}
    pi1 = KpiForecast.objects.get(kpi__code="PI1", kpi__framework__code="2024", last_period=JANUARY)
    assert pi1.last_status == "red"


def test_the_command_refreshes_one_month_and_changes_nothing_when_inputs_are_unchanged(demo):
    before = set(KpiForecast.objects.values_list("pk", "inputs"))
    out = io.StringIO()

    call_command("refresh_forecasts", "--period", "2025-03", stdout=out)

    assert out.getvalue() == "Mar-25: 15 KPI forecasts.\n"
    assert set(KpiForecast.objects.values_list("pk", "inputs")) == before


def test_the_command_makes_again_every_months_forecasts_when_none_is_kept(demo):
    KpiForecast.objects.all().delete()
    out = io.StringIO()

    call_command("refresh_forecasts", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Apr-24: 0 KPI forecasts."
    assert lines[-1] == "Mar-25: 15 KPI forecasts."
    assert len(lines) == 12
    assert KpiForecast.objects.filter(last_period=MARCH).count() == 15


@pytest.mark.parametrize(
    "period",
    [
        pytest.param("March 2025", id="in-words"),
        pytest.param("2025-3", id="one-digit-month"),
        pytest.param("2025-13", id="not-a-month"),
    ],
)
def test_the_command_refuses_a_month_not_written_yyyy_mm(db, period):
    with pytest.raises(CommandError, match="is not a month: write 2025-03"):
        call_command("refresh_forecasts", "--period", period)
