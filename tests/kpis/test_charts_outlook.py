"""A KPI's history chart carries its outlook: forecast months over the rules in force then."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from kpis import charts, selectors
from opb_portal.periods import Period
from opb_portal.rag import Status

from ..factories import KpiDefinitionFactory, KpiValueFactory, ThresholdRuleFactory
from .forecasts import ahead, an_outlook

pytestmark = pytest.mark.django_db

JUNE = Period(2025, 6)


@pytest.fixture
def kpi():
    """Green at 80 or more, red at 70 or less; from August 2025 green at 75, red at 65."""
    kpi = KpiDefinitionFactory(code="PI1")
    ThresholdRuleFactory(kpi=kpi, effective_from=datetime.date(2025, 1, 1))
    ThresholdRuleFactory(
        kpi=kpi, effective_from=datetime.date(2025, 8, 1), green_lower=75, red_below=65
    )
    for i, value in enumerate(["86", "84", "81", "79", "77", "76"]):
        KpiValueFactory(kpi=kpi, period=Period(2025, 1).shift(i).first_day, value=Decimal(value))
    return selectors.kpi_for_page(kpi.framework.code, kpi.code)  # with its rules, as the page


def outlook_of(kpi, *steps):
    return an_outlook(kpi, JUNE, list(steps), signal="Red by August")


def drawn(kpi, outlook) -> ET.Element:
    history = selectors.kpi_history(kpi)
    return ET.fromstring(str(charts.history_chart(history, outlook=outlook)))


def of_class(root, css_class):
    return [e for e in root.iter() if e.get("class") == css_class]


def test_the_forecast_months_follow_the_history_as_forecasts(kpi):
    outlook = outlook_of(
        kpi,
        ahead(Period(2025, 7), "74.5", "71.0", "78.0"),
        ahead(Period(2025, 8), "73.0", "68.0", "78.0", status=Status.AMBER),
        ahead(Period(2025, 9), "71.5", "65.0", "78.0", red=0.3, status=Status.AMBER),
    )
    root = drawn(kpi, outlook)
    desc = root.find("{http://www.w3.org/2000/svg}desc").text

    assert len(of_class(root, "marker forecast")) == 3
    assert len(of_class(root, "forecast-band")) == 1
    assert "latest PI1 76.0 in Jun-25 (amber)" in desc
    assert "Jul-25 to Sep-25 are a forecast, not figures" in desc
    assert "(80% interval 65.0 to 78.0)" in desc


def test_the_zones_of_a_rule_that_starts_in_a_forecast_month_show_from_that_month(kpi):
    outlook = outlook_of(
        kpi,
        ahead(Period(2025, 7), "74.5", "71.0", "78.0"),
        ahead(Period(2025, 8), "73.0", "68.0", "78.0"),
        ahead(Period(2025, 9), "71.5", "65.0", "78.0"),
    )
    root = drawn(kpi, outlook)
    greens = [z for z in of_class(root, "zone") if z.get("data-status") == "green"]
    (divider,) = of_class(root, "forecast-divider")
    right = max(float(z.get("x")) + float(z.get("width")) for z in of_class(root, "zone"))

    # Green from 80 to August, from 75 after: two green bands of different depths.
    assert len(greens) == 2
    assert greens[0].get("height") != greens[1].get("height")
    assert float(greens[1].get("x")) > float(divider.get("x1"))  # August, after the divider
    assert right > float(of_class(root, "marker forecast")[-1].get("x"))


def test_a_forecast_month_that_now_has_a_figure_is_not_drawn_over_it(kpi):
    outlook = an_outlook(
        kpi,
        Period(2025, 5),
        [ahead(JUNE, "77.0", "74.0", "80.0"), ahead(Period(2025, 7), "76.0", "72.0", "80.0")],
        signal="Amber",
    )
    root = drawn(kpi, outlook)

    assert [
        m.find("{http://www.w3.org/2000/svg}title").text for m in of_class(root, "marker forecast")
    ] == ["Jul-25: PI1 forecast 76.0 (72.0 to 80.0) (amber)"]


def test_without_an_outlook_the_history_chart_is_drawn_as_before(kpi):
    history = selectors.kpi_history(kpi)

    assert charts.history_chart(history, outlook=None) == charts.history_chart(history)
    assert "forecast" not in str(charts.history_chart(history)).lower()
