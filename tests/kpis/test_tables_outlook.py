"""The scorecard's Outlook column and the KPI page's forecast tables: forecasts, marked."""

from decimal import Decimal

import pytest

from kpis import selectors
from kpis.selectors import ForecastCheck
from kpis.tables import EarlierForecastsTable, LookingAheadTable, ScorecardTable
from opb_portal.periods import Period
from opb_portal.rag import Status

from ..factories import KpiDefinitionFactory, KpiValueFactory, ThresholdRuleFactory
from .forecasts import ahead, an_outlook

pytestmark = pytest.mark.django_db

MARCH = Period(2025, 3)


@pytest.fixture
def kpi():
    kpi = KpiDefinitionFactory(code="PI1")
    ThresholdRuleFactory(kpi=kpi)
    KpiValueFactory(kpi=kpi, period=MARCH.first_day, value=Decimal("76.0"))
    return kpi


def outlook_cell(kpi, outlooks) -> str:
    (row,) = selectors.scorecard(MARCH, with_comparators=False).rows
    table = ScorecardTable([row], outlooks=outlooks)
    return str(table.rows[0].get_cell("outlook"))


def test_the_outlook_column_gives_the_signal_marked_as_a_forecast_and_links_to_it(kpi):
    outlook = an_outlook(
        kpi, MARCH, [ahead(Period(2025, 4), "69.5", "66.0", "73.0")], signal="Turns red next month"
    )

    cell = outlook_cell(kpi, {kpi.pk: outlook})

    assert 'class="outlook forecast"' in cell
    assert 'href="/kpis/2024/PI1/#looking-ahead"' in cell
    assert '<span class="visually-hidden">Forecast: </span>Turns red next month' in cell
    assert '<span class="forecast-mark" aria-hidden="true"></span>' in cell


def test_a_kpi_with_no_forecast_has_not_enough_history_and_no_link(kpi):
    cell = outlook_cell(kpi, {})

    assert "Not enough history" in cell
    assert "href" not in cell


def test_the_outlook_column_sits_after_the_last_12_months():
    names = [name for name, _ in ScorecardTable([]).columns.items()]

    assert names.index("outlook") == names.index("trend") + 1


def test_the_signal_is_text_never_markup(kpi):
    outlook = an_outlook(
        kpi, MARCH, [ahead(Period(2025, 4), "1.0", "0.0", "2.0")], signal="<b>x</b>"
    )

    assert "&lt;b&gt;x&lt;/b&gt;" in outlook_cell(kpi, {kpi.pk: outlook})


def looking_ahead_cells(kpi, step) -> dict[str, str]:
    table = LookingAheadTable([step], kpi=kpi)
    row = table.rows[0]
    return {name: str(row.get_cell(name)) for name, _ in table.columns.items()}


@pytest.mark.parametrize(
    ("status", "red", "chance", "badge"),
    [
        pytest.param(Status.RED, 0.62, "62%", '<span class="rag rag-red forecast">', id="red"),
        pytest.param(
            Status.AMBER, 0.25, "25%", '<span class="rag rag-amber forecast">', id="amber"
        ),
        pytest.param(Status.GREEN, 0.0, "0%", '<span class="rag rag-green forecast">', id="green"),
    ],
)
def test_a_month_ahead_is_a_forecast_with_its_interval_chance_and_the_colour_it_would_be(
    kpi, status, red, chance, badge
):
    cells = looking_ahead_cells(
        kpi, ahead(Period(2025, 4), "71.2", "66.0", "76.1", red=red, status=status)
    )

    assert cells["period"] == "April 2025"
    assert cells["value"].endswith('<span class="visually-hidden">Forecast: </span>71.2%')
    assert cells["interval"] == "66.0% to 76.1%"
    assert cells["red"] == chance
    assert cells["status"].startswith(badge)
    assert cells["status"].endswith(f"Would be {status.value}</span>")


def test_every_row_of_the_months_ahead_carries_the_forecast_class(kpi):
    table = LookingAheadTable([ahead(Period(2025, 4), "71.2", "66.0", "76.1")], kpi=kpi)

    assert "forecast" in table.rows[0].attrs["class"].split()


def check(actual: str) -> ForecastCheck:
    return ForecastCheck(
        made_from=Period(2025, 2),
        period=MARCH,
        method_label="a damped trend",
        forecast=Decimal("78.0"),
        lower=Decimal("74.0"),
        upper=Decimal("82.0"),
        actual=Decimal(actual),
    )


@pytest.mark.parametrize(
    ("actual", "said"),
    [
        pytest.param("74.0", "Yes", id="on-the-lower-bound"),
        pytest.param("82.0", "Yes", id="on-the-upper-bound"),
        pytest.param("73.9", "No: below it", id="below"),
        pytest.param("82.1", "No: above it", id="above"),
    ],
)
def test_an_earlier_forecast_says_whether_the_figure_fell_inside_its_interval(kpi, actual, said):
    table = EarlierForecastsTable([check(actual)], kpi=kpi)
    row = table.rows[0]

    assert str(row.get_cell("within")) == said
    assert str(row.get_cell("actual")) == f"{actual}%"
    assert "Forecast: </span>78.0%" in str(row.get_cell("forecast"))
    assert str(row.get_cell("made_from")) == "February 2025"
