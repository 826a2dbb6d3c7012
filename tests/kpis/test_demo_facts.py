"""
Every statement the Trust published about its 2024-25 contract KPIs holds
for the demonstration data (shared/reference/facts_2024_25.md, "Contract KPIs").
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from kpis import selectors
from kpis.models import KpiValue
from opb_portal.periods import FinancialYear, Period
from opb_portal.rag import Status

YEAR = FinancialYear(2024)
MARCH = Period(2025, 3)


@pytest.fixture
def year(demo):
    return {row.kpi.code: row for row in selectors.year_summary(YEAR).rows}


@pytest.fixture
def march(demo):
    return {row.kpi.code: row for row in selectors.scorecard(MARCH).rows}


@pytest.mark.parametrize(
    ("code", "green", "amber", "red"),
    [
        pytest.param("PI1", 1, 10, 1, id="PI1"),
        pytest.param("PI2", 6, 6, 0, id="PI2"),
        pytest.param("PI3", 8, 3, 1, id="PI3"),
        pytest.param("PI4", 6, 6, 0, id="PI4"),
        pytest.param("PI5", 8, 4, 0, id="PI5"),
        pytest.param("PI6", 7, 5, 0, id="PI6"),
        pytest.param("PI7", 2, 10, 0, id="PI7"),
        pytest.param("PI8", 0, 12, 0, id="PI8"),
        pytest.param("PI9", 0, 9, 3, id="PI9"),
        pytest.param("PI10", 12, 0, 0, id="PI10"),
        pytest.param("PI11", 3, 8, 1, id="PI11"),
        pytest.param("PI12", 12, 0, 0, id="PI12"),
        pytest.param("PI13", 0, 7, 5, id="PI13"),
        pytest.param("PI14", 5, 5, 2, id="PI14"),
        pytest.param("PI15", 10, 2, 0, id="PI15"),
    ],
)
def test_the_year_has_the_published_number_of_months_in_each_colour(year, code, green, amber, red):
    row = year[code]
    assert (row.green, row.amber, row.red, row.missing) == (green, amber, red, 0)


@pytest.mark.parametrize(
    ("code", "low", "low_month", "high", "high_month"),
    [
        pytest.param("PI1", "68.8", "2024-10", "86.4", "2025-03", id="PI1"),
        pytest.param("PI2", "66.8", None, "79.7", None, id="PI2"),
        pytest.param("PI5", "80.39", "2024-04", "94.8", "2024-08", id="PI5"),
        pytest.param("PI6", "93.2", "2024-04", "98.1", "2025-03", id="PI6"),
        pytest.param("PI8", "9.3", "2024-11", "11.7", "2024-06", id="PI8"),
        pytest.param("PI9", "61.0", "2024-06", "64.7", "2025-02", id="PI9"),
        pytest.param("PI10", "96.3", "2024-09", "99.0", "2024-11", id="PI10"),
        pytest.param("PI11", "2.4", None, "5.0", None, id="PI11"),
        pytest.param("PI13", "65.46", None, "75.46", None, id="PI13"),
        pytest.param("PI14", "32.7", "2024-04", "87.5", "2024-09", id="PI14"),
    ],
)
def test_the_year_ranges_between_the_published_minimum_and_maximum(
    year, code, low, low_month, high, high_month
):
    row = year[code]
    assert row.minimum.number == Decimal(low)
    assert row.maximum.number == Decimal(high)
    if low_month:
        assert row.minimum.period.iso == low_month
    if high_month:
        assert row.maximum.period.iso == high_month


def test_pi12_ranges_over_the_published_permanent_vacancy_rates(year):
    row = year["PI12"]
    # Published as "21.1% to 27.73%": the two figures carry different precision.
    assert row.minimum.number.quantize(Decimal("0.1"), ROUND_HALF_UP) == Decimal("21.1")
    assert row.minimum.period == Period(2024, 9)
    assert row.maximum.number == Decimal("27.73")
    assert row.maximum.period == Period(2024, 6)


def test_pi1_averages_the_published_78_1_percent(year):
    assert year["PI1"].mean == Decimal("78.1")


def test_march_2025_has_10_green_5_amber_and_no_red(march):
    statuses = [row.status for row in march.values()]
    assert statuses.count(Status.GREEN) == 10
    assert statuses.count(Status.AMBER) == 5
    assert statuses.count(Status.RED) == 0


@pytest.mark.parametrize("code", ["PI8", "PI9", "PI11", "PI13"])
def test_the_kpis_named_as_amber_at_march_2025_are_amber(march, code):
    assert march[code].status == Status.AMBER


@pytest.mark.parametrize(
    ("code", "value"),
    [
        pytest.param("PI1", "86.4", id="PI1"),
        pytest.param("PI4", "40.7", id="PI4"),
        pytest.param("PI6", "98.1", id="PI6"),
        pytest.param("PI7", "94.0", id="PI7"),
        pytest.param("PI8", "10.2", id="PI8"),
        pytest.param("PI9", "63.8", id="PI9"),
        pytest.param("PI11", "3.4", id="PI11"),
    ],
)
def test_march_2025_values_are_the_published_ones(march, code, value):
    assert str(march[code].month.number) == value
    assert not march[code].month.value.illustrative


def test_pi4_and_pi7_are_counts_of_children_over_the_child_population(march):
    assert march["PI4"].month.value.numerator == 353
    assert march["PI7"].month.value.numerator == 816
    assert march["PI4"].month.value.denominator == march["PI7"].month.value.denominator == 86835


def test_pi4_is_amber_april_to_september_and_green_october_to_march(year):
    statuses = [month.status for month in year["PI4"].months]
    assert statuses == [Status.AMBER] * 6 + [Status.GREEN] * 6


def test_pi3_is_red_only_in_november_2024(year):
    assert [m.period for m in year["PI3"].months if m.status == Status.RED] == [Period(2024, 11)]


@pytest.mark.parametrize(
    ("month", "rate"),
    [
        pytest.param(Period(2024, 9), "21.11", id="sep-2024"),
        pytest.param(Period(2024, 6), "27.73", id="jun-2024"),
        pytest.param(Period(2025, 3), "23.94", id="mar-2025"),
    ],
)
def test_pi12_is_the_permanent_vacancy_rate_from_the_workforce_table(year, month, rate):
    value = next(m.value for m in year["PI12"].months if m.period == month)
    assert value.value == Decimal(rate)
    assert value.value == value.kpi.derive_value(value.numerator, value.denominator)
    assert value.denominator == 187


def test_published_comparators_are_loaded(march):
    pi4 = {c.get_kind_display(): c.value for c in march["PI4"].comparators}
    assert pi4 == {
        "Statistical neighbour average (published)": Decimal("50.2"),
        "England": Decimal("41.6"),
    }
    assert len(march["PI11"].comparators) == 3


def test_months_the_trust_did_not_publish_are_marked_illustrative(demo):
    assert KpiValue.objects.filter(illustrative=True).exists()
    assert not KpiValue.objects.filter(kpi__code="PI12", illustrative=True).exists()
