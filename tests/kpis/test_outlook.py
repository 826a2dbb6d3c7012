"""
The KPIs' early warning (`kpis.outlook`): forecasts made and kept when a month is approved,
and the signals read from them (the contract's trigger month, red next month, green by).

The early-warning rules are pinned on constructed series with a stand-in engine that carries
the last month's change forward (`trend`), so that they hold whatever method the forecasting
engine chooses: the rules are about what the trajectory means, not how it is worked out.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kpis import outlook
from kpis.models import KpiForecast
from opb_portal.forecasting import Accuracy, Forecast, Step
from opb_portal.periods import Period
from opb_portal.rag import Status

from ..factories import (
    FrameworkFactory,
    KpiDefinitionFactory,
    KpiValueFactory,
    ThresholdRuleFactory,
)

pytestmark = pytest.mark.django_db

MARCH = Period(2025, 3)
ACCURACY = Accuracy(
    method="trend",
    label="the last month's change carried forward",
    tries=10,
    within=2.13,
    hits=9,
    mase=0.8,
    coverage=0.8,
    fallback=False,
)


def trend(history, *, horizon=6, **_):
    """A stand-in engine: the last month's change carried forward, past errors of -1, 0 and +1."""
    values = [v for v in history if v is not None]
    if len(values) < 2:
        return None
    last, change = values[-1], values[-1] - values[-2]
    steps = tuple(
        Step(k, last + change * k, last + change * k - 2, last + change * k + 2)
        for k in range(1, horizon + 1)
    )
    return Forecast("trend", ACCURACY.label, steps, ACCURACY, {1: (-1.0, 0.0, 1.0)})


@pytest.fixture
def engine(monkeypatch):
    """The stand-in engine, counting its calls."""
    calls = []

    def counted(history, **kwargs):
        calls.append(list(history))
        return trend(history, **kwargs)

    monkeypatch.setattr(outlook, "forecast", counted)
    return calls


def _kpi(*, grace=0, band=False, revised=None):
    """A KPI of the 2024 framework: green at 80% or more, red at 70% or less (or a band)."""
    kpi = KpiDefinitionFactory(grace_months=grace)
    if band:
        # PI9's shape: green 62% to 67%, red below 62% or above 75%.
        ThresholdRuleFactory(
            kpi=kpi,
            polarity="band",
            green_lower=Decimal("62"),
            green_upper=Decimal("67"),
            red_below=Decimal("62"),
            red_below_inclusive=False,
            red_above=Decimal("75"),
        )
    else:
        ThresholdRuleFactory(kpi=kpi)
    if revised:
        ThresholdRuleFactory(
            kpi=kpi,
            effective_from=revised.first_day,
            green_lower=Decimal("70"),
            red_below=Decimal("60"),
        )
    return kpi


def _history(kpi, *numbers, last=MARCH):
    start = last.shift(1 - len(numbers))
    for i, number in enumerate(numbers):
        KpiValueFactory(kpi=kpi, period=start.shift(i).first_day, value=Decimal(str(number)))


def _outlook(kpi, period=MARCH) -> outlook.Outlook:
    outlook.refresh_forecasts(period=period)
    return outlook.outlooks([kpi], period)[kpi.pk]


# --- the early-warning rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi_kind", "numbers", "trigger", "signal"),
    [
        pytest.param(
            {}, (76, 73, 70, 67, 64), Period(2025, 4), "4th red month in Apr-25",
            id="red-for-three-months-on-a-falling-trend-flags-its-fourth",
        ),
        pytest.param(
            {}, (72, 64, 67, 70), None, "Green by Jul-25",
            id="red-for-three-months-recovering-does-not",
        ),
        pytest.param(
            {"grace": 11}, (76, 73, 70, 67, 64), Period(2025, 6), "4th red month in Jun-25",
            id="red-months-in-grace-do-not-count",
        ),
        pytest.param(
            {}, (73, 70, 67, 64, 61), None, "Escalated",
            id="red-for-four-months-is-escalated-already-not-a-trigger-ahead",
        ),
        pytest.param(
            {}, (79, 76, 73), Period(2025, 7), "Red next month (67%)",
            id="amber-falling-turns-red-next-month-and-triggers-in-its-fourth",
        ),
        pytest.param(
            {"band": True}, (72, 74, 76, 78, 80), Period(2025, 4), "4th red month in Apr-25",
            id="a-band-red-above-its-range",
        ),
        pytest.param(
            {"band": True}, (64, 65, 66, 67), None, "Steady: amber",
            id="a-band-rising-out-of-its-range-into-amber",
        ),
        pytest.param(
            {"revised": Period(2025, 6)}, (79, 76, 73, 70), None, "Steady: red",
            id="a-rule-revised-mid-forecast-rates-its-months-by-the-new-rule",
        ),
        pytest.param(
            {}, (85, 85, 85), None, "Steady: green", id="green-and-flat",
        ),
    ],
)  # fmt: skip
def test_the_early_warning_reads_the_trajectory(engine, kpi_kind, numbers, trigger, signal):
    kpi = _kpi(**kpi_kind)
    _history(kpi, *numbers)

    found = _outlook(kpi)

    assert found.trigger == trigger
    assert found.signal == signal


def test_a_revised_rule_rates_the_forecast_months_from_its_month():
    kpi = _kpi(revised=Period(2025, 6))
    _history(kpi, 79, 76, 73, 70)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outlook, "forecast", trend)
        found = _outlook(kpi)

    # 67, 64 and 61 ahead: red at 70% or less until May, at 60% or less from June.
    assert [(s.period.short, str(s.value), s.status) for s in found.steps[:3]] == [
        ("Apr-25", "67.0", Status.RED),
        ("May-25", "64.0", Status.RED),
        ("Jun-25", "61.0", Status.AMBER),
    ]


@pytest.mark.parametrize(
    ("numbers", "turns_red_next", "chance", "recovers_by"),
    [
        pytest.param((79, 76, 73), True, 2 / 3, None, id="amber-to-red"),
        pytest.param((70, 73, 76), False, 0.0, Period(2025, 5), id="amber-rising-to-green"),
        pytest.param((64, 67, 70), False, 0.0, Period(2025, 7), id="red-rising"),
        pytest.param((90, 85, 80), False, 0.0, None, id="green-falling-stays-green-next"),
    ],
)
def test_the_signals_for_next_month(engine, numbers, turns_red_next, chance, recovers_by):
    kpi = _kpi()
    _history(kpi, *numbers)

    found = _outlook(kpi)

    assert found.turns_red_next is turns_red_next
    assert found.chance_red_next == pytest.approx(chance, abs=0.001)
    assert found.recovers_by == recovers_by


@pytest.mark.parametrize(
    ("numbers", "warning"),
    [
        pytest.param((79, 76, 73), True, id="turns-red-next-month"),
        pytest.param((76, 73, 70, 67, 64), True, id="trigger-ahead"),
        pytest.param((76, 73, 70, 67, 64), True, id="trigger-ahead-from-red-now"),
        pytest.param((73, 70, 67, 64, 61), False, id="escalated-already-is-no-warning-ahead"),
        pytest.param((85, 85, 85), False, id="green"),
        pytest.param((72, 64, 67, 70), False, id="red-recovering"),
    ],
)
def test_what_counts_as_a_warning_for_the_home_page(engine, numbers, warning):
    kpi = _kpi()
    _history(kpi, *numbers)

    assert _outlook(kpi).warning is warning


# --- what is stored ----------------------------------------------------------------------------


def test_a_forecast_is_kept_with_its_steps_at_the_kpis_precision_and_its_inputs(engine):
    kpi = _kpi()
    _history(kpi, "79.0", "76.0", "73.0")

    [stored] = outlook.refresh_forecasts(period=MARCH)

    assert stored.last_period == MARCH
    assert (stored.last_status, stored.red_streak) == ("amber", 0)
    assert stored.method == "trend"
    assert stored.steps[0] == {
        "period": "2025-04",
        "value": "70.0",
        "lower": "68.0",
        "upper": "72.0",
        "red": 0.667,
        "status": "red",
        "in_grace": False,
    }
    assert [step["period"] for step in stored.steps] == [
        MARCH.shift(k).iso for k in range(1, outlook.HORIZON + 1)
    ]
    # 2.13 points rounded up, never down: "within 2.2 points" is what was true.
    assert stored.accuracy["within"] == "2.2"
    assert len(stored.inputs) == 64
    # The engine was given the figures at the KPI's precision, oldest first.
    assert engine == [[79.0, 76.0, 73.0]]


def test_the_accuracy_is_a_sentence_in_the_kpis_own_units(engine):
    kpi = _kpi()
    _history(kpi, 79, 76, 73)

    assert _outlook(kpi).accuracy == (
        "Over the 10 months it could be tested, the 1-month forecast was within 2.2 points "
        "9 times in 10."
    )


@pytest.mark.parametrize(
    ("unit", "places", "size", "said"),
    [
        pytest.param("percent", 1, "2.2", "2.2 points", id="percent-in-points"),
        pytest.param("rate_per_10000", 1, "2.2", "2.2 per 10,000 children", id="rate-per-10000"),
        pytest.param("count", 0, "3", "3", id="count-as-its-figure"),
    ],
)
def test_the_error_is_written_in_the_kpis_unit(unit, places, size, said):
    kpi = KpiDefinitionFactory.build(unit=unit, decimal_places=places)

    assert outlook.error_size(kpi, Decimal(size)) == said


def test_a_forecast_whose_inputs_are_unchanged_is_not_made_again(engine):
    kpi = _kpi()
    _history(kpi, 79, 76, 73)
    [first] = outlook.refresh_forecasts(period=MARCH)

    [again] = outlook.refresh_forecasts(period=MARCH)

    assert len(engine) == 1
    assert (again.pk, again.made_at) == (first.pk, first.made_at)


def test_a_changed_figure_makes_the_months_forecast_again(engine):
    kpi = _kpi()
    _history(kpi, 79, 76, 73)
    [first] = outlook.refresh_forecasts(period=MARCH)
    kpi.values.filter(period=MARCH).update(value=Decimal("77.0"))

    [again] = outlook.refresh_forecasts(period=MARCH)

    assert len(engine) == 2
    assert again.inputs != first.inputs
    assert again.steps[0]["value"] == "78.0"
    assert KpiForecast.objects.filter(kpi=kpi).count() == 1


def test_a_kpi_with_no_figure_in_the_month_has_no_forecast_for_it(engine):
    kpi = _kpi()
    _history(kpi, 79, 76, 73, last=MARCH.shift(-1))

    assert outlook.refresh_forecasts(period=MARCH) == []
    assert not KpiForecast.objects.exists()


def test_the_history_stays_within_the_kpis_framework(engine):
    """A code means one thing in a framework: the 2018 PI1's figures never feed the 2024 PI1."""
    old = FrameworkFactory(
        code="2018",
        effective_from=datetime.date(2018, 4, 1),
        effective_to=datetime.date(2024, 3, 31),
    )
    before = KpiDefinitionFactory(framework=old, code="PI1")
    ThresholdRuleFactory(kpi=before)
    _history(before, 10, 20, 30, last=Period(2024, 3))
    kpi = _kpi()
    kpi.code = "PI1"
    kpi.save()
    _history(kpi, 79, 76, 73, last=Period(2024, 6))

    outlook.refresh_forecasts(period=Period(2024, 6))

    assert engine == [[79.0, 76.0, 73.0]]


def test_a_month_missing_from_the_history_is_given_as_a_gap(engine):
    kpi = _kpi()
    _history(kpi, 79, 76, last=Period(2025, 1))
    _history(kpi, 73)

    outlook.refresh_forecasts(period=MARCH)

    assert engine == [[79.0, 76.0, None, 73.0]]


def test_refreshing_takes_a_fixed_number_of_queries(engine, django_assert_num_queries):
    kpis = [_kpi() for _ in range(3)]
    for kpi in kpis:
        _history(kpi, 79, 76, 73, 70, 67, 64)

    # 6 queries: the framework in force, its KPIs, their rules, their values, the month's
    # forecasts, and one insert of all three.
    with django_assert_num_queries(6):
        outlook.refresh_forecasts(period=MARCH)
    for kpi in kpis:
        kpi.values.filter(period=MARCH).update(value=Decimal("65.0"))
    # 7 queries: the same five reads, one delete of the three made again, one insert.
    with django_assert_num_queries(7):
        outlook.refresh_forecasts(period=MARCH)
    # 5 queries: the reads only, when nothing changed.
    with django_assert_num_queries(5):
        outlook.refresh_forecasts(period=MARCH)


def test_the_outlooks_of_a_month_are_the_latest_forecasts_to_it_in_one_query(
    engine, django_assert_num_queries
):
    early, late = _kpi(), _kpi()
    _history(early, 79, 76, 73, last=Period(2025, 1))
    _history(late, 79, 76, 73)
    outlook.refresh_forecasts(period=Period(2025, 1))
    outlook.refresh_forecasts(period=MARCH)

    with django_assert_num_queries(1):
        found = outlook.outlooks([early, late], MARCH)
        made_from = {kpi.code: found[kpi.pk].last_period for kpi in (early, late)}

    assert made_from == {early.code: Period(2025, 1), late.code: MARCH}
    assert outlook.outlooks([early, late], Period(2024, 12)) == {}


def test_a_kpi_red_in_grace_and_likely_red_again_is_a_warning_without_a_trigger(engine):
    kpi = _kpi(grace=13)  # April 2024 to April 2025 in grace
    _history(kpi, 76, 73, 70, 67, 64)

    found = _outlook(kpi)

    assert (found.trigger, found.turns_red_next, found.chance_red_next) == (None, False, 1.0)
    assert found.steps[0].in_grace
    assert found.warning


def test_a_percentage_forecast_stops_at_100_and_0(engine):
    rising, falling = _kpi(), _kpi()
    _history(rising, 90, 96, 99)  # +3 a month: 102, 105, ... past what a percentage can be
    _history(falling, 9, 5, 2)  # -3 a month: below nothing

    made = {f.kpi_id: f for f in outlook.refresh_forecasts(period=MARCH)}

    up, down = made[rising.pk].steps, made[falling.pk].steps
    assert [step["value"] for step in up[:2]] == ["100.0", "100.0"]
    assert up[0]["upper"] == "100.0"
    assert up[0]["lower"] == "100.0"  # 102 - 2 is still at the edge
    assert [step["value"] for step in down[:2]] == ["0.0", "0.0"]
    assert down[0]["lower"] == "0.0"
    assert down[0]["red"] == 1.0  # at 0% it is red whatever the error
