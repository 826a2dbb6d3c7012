"""
The KPI page looks ahead and keeps the honest record; the scorecard has an Outlook column.

The outlook itself is `kpis.outlook`'s; these pages show what it gives, marked as a
forecast, and measure every earlier forecast against the figure that came.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis import selectors
from opb_portal.periods import Period

from ..factories import KpiDefinitionFactory, KpiValueFactory, ThresholdRuleFactory
from .forecasts import step, stored_forecast

JANUARY = Period(2025, 1)


@pytest.fixture
def officer(client, reviewer):
    client.force_login(reviewer)
    return client


def a_kpi(figures: list[str]):
    """PI1 (green at 80 or more, red at 70 or less) with a figure a month from January 2025."""
    kpi = KpiDefinitionFactory(code="PI1")
    ThresholdRuleFactory(kpi=kpi, effective_from=datetime.date(2024, 4, 1))
    for i, value in enumerate(figures):
        KpiValueFactory(kpi=kpi, period=JANUARY.shift(i).first_day, value=Decimal(value))
    return kpi


@pytest.fixture
def pi1_with_earlier_forecasts():
    """
    Figures January to June; forecasts made from January (February inside its interval),
    February (March below it), March (April inside) and June (July: no figure yet).
    """
    kpi = a_kpi(["80.0", "79.0", "72.0", "77.0", "76.0", "75.0"])
    stored_forecast(kpi, JANUARY, [step(Period(2025, 2), "79.5", "76.0", "83.0")])
    stored_forecast(kpi, Period(2025, 2), [step(Period(2025, 3), "78.5", "75.0", "82.0")])
    stored_forecast(kpi, Period(2025, 3), [step(Period(2025, 4), "73.0", "68.0", "78.0")])
    stored_forecast(kpi, Period(2025, 6), [step(Period(2025, 7), "74.0", "70.0", "78.0")])
    return kpi


def page(officer, kpi) -> str:
    response = officer.get(reverse("kpis:detail", args=[kpi.framework.code, kpi.code]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    return html.split('<section id="looking-ahead"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_a_kpi_with_no_forecast_yet_says_so_under_looking_ahead(officer):
    kpi = a_kpi(["80.0", "79.0"])

    looking_ahead = section(page(officer, kpi))

    assert "Looking ahead" in looking_ahead
    assert "Forecast, not figures" in looking_ahead
    assert "No forecast of PI1 yet" in looking_ahead
    assert "No earlier forecast of PI1 can be checked against a figure yet." in looking_ahead


@pytest.mark.django_db
def test_each_earlier_forecast_is_shown_beside_the_figure_that_came(
    officer, pi1_with_earlier_forecasts
):
    html = section(page(officer, pi1_with_earlier_forecasts))
    record = html.split("How earlier forecasts did")[1]

    assert "2 of the last 3 one-month forecasts had the actual figure inside its 80% interval." in (
        record
    )
    rows = record.split("<tbody")[1].split("</tr>")[:-1]
    assert len(rows) == 3
    cells = [[c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]
    # Month, forecast, 80% interval, actual, inside the interval?, made from figures to
    assert cells[0][0] == "April 2025"
    assert cells[0][2:] == ["68.0% to 78.0%", "77.0%", "Yes", "March 2025"]
    assert cells[1][2:] == ["75.0% to 82.0%", "72.0%", "No: below it", "February 2025"]
    assert "July 2025" not in record  # not yet a figure to check it against


@pytest.mark.django_db
def test_the_record_is_read_in_one_query_newest_first(
    pi1_with_earlier_forecasts, django_assert_num_queries
):
    history = selectors.kpi_history(selectors.kpi_for_page("2024", pi1_with_earlier_forecasts.code))

    # 1 query: the KPI's stored forecasts made before its latest figure
    with django_assert_num_queries(1):
        record = selectors.forecast_record(history)

    assert [c.period for c in record.checks] == [Period(2025, 4), Period(2025, 3), Period(2025, 2)]
    assert [c.within for c in record.checks] == [True, False, True]
    assert record.checks[1].error == Decimal("-6.5")


@pytest.mark.django_db
def test_the_scorecard_has_an_outlook_column_that_works_without_forecasts(officer):
    a_kpi(["80.0", "79.0", "72.0"])

    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()

    assert re.search(r"<th[^>]*>\s*Outlook\s*</th>", html)
    assert "Not enough history" in html
