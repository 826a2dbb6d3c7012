"""Rules in force by month, grace, escalation and direction of change."""

import datetime
from decimal import Decimal

import pytest

from kpis import selectors
from opb_portal.periods import FinancialYear, Period
from opb_portal.rag import Status

from ..factories import (
    FrameworkFactory,
    KpiDefinitionFactory,
    KpiValueFactory,
    ThresholdRuleFactory,
)

pytestmark = pytest.mark.django_db


def _values(kpi, start: Period, numbers):
    for i, number in enumerate(numbers):
        KpiValueFactory(kpi=kpi, period=start.shift(i).first_day, value=Decimal(number))


def _row(kpi, period):
    return next(row for row in selectors.scorecard(period).rows if row.kpi == kpi)


def test_a_revised_rule_applies_from_its_month_and_earlier_months_keep_theirs():
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi)  # green at 80 or more from April 2024
    ThresholdRuleFactory(
        kpi=kpi, effective_from=datetime.date(2025, 2, 1), green_lower=Decimal("70"), red_below=60
    )
    _values(kpi, Period(2025, 1), ["75", "75"])

    months = selectors.kpi_history(kpi).months
    january, february = months[-2], months[-1]
    assert (january.status, february.status) == (Status.AMBER, Status.GREEN)
    assert january.rule != february.rule
    assert "70" in february.rule.describe()


def test_a_month_in_grace_keeps_its_colour_but_does_not_count_towards_escalation():
    kpi = KpiDefinitionFactory(grace_months=3)
    ThresholdRuleFactory(kpi=kpi)
    _values(kpi, Period(2024, 4), ["50", "50", "50", "50", "50", "50"])

    april, september = _row(kpi, Period(2024, 4)), _row(kpi, Period(2024, 9))
    assert april.status == Status.RED
    assert april.month.in_grace
    assert april.consecutive_red == 0
    # July, August and September count; April to June were in grace.
    assert september.consecutive_red == 3
    assert not september.escalated


@pytest.mark.parametrize(
    ("reds", "escalated"),
    [
        pytest.param(3, False, id="three-months-red-is-not-yet-an-exception"),
        pytest.param(4, True, id="four-months-red-is-an-exception"),
    ],
)
def test_a_kpi_red_for_more_than_three_consecutive_months_is_a_contract_exception(reds, escalated):
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi)
    _values(kpi, Period(2024, 4), ["85"] + ["50"] * reds)
    row = _row(kpi, Period(2024, 4).shift(reds))
    assert row.consecutive_red == reds
    assert row.escalated is escalated


def test_a_green_month_breaks_the_red_streak():
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi)
    _values(kpi, Period(2024, 4), ["50", "50", "50", "85", "50"])
    assert _row(kpi, Period(2024, 8)).consecutive_red == 1


@pytest.mark.parametrize(
    ("polarity", "rule", "before", "after", "direction"),
    [
        pytest.param("higher_is_better", {}, "75", "78", "better", id="higher-is-better-rising"),
        pytest.param(
            "lower_is_better",
            {"green_lower": None, "red_below": None, "green_upper": 15, "red_above": 22},
            "12",
            "14",
            "worse",
            id="lower-is-better-rising-like-pi3",
        ),
        pytest.param(
            "lower_is_better",
            {"green_lower": None, "red_below": None, "green_upper": 15, "red_above": 22},
            "14",
            "12",
            "better",
            id="lower-is-better-falling",
        ),
        pytest.param(
            "band",
            {"green_upper": 75, "green_lower": 67, "red_below": 62},
            "70",
            "80",
            "worse",
            id="band-leaving-the-band",
        ),
        pytest.param("higher_is_better", {}, "75", "75", "same", id="unchanged"),
    ],
)
def test_the_direction_of_change_knows_the_polarity(polarity, rule, before, after, direction):
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi, polarity=polarity, **rule)
    _values(kpi, Period(2025, 2), [before, after])
    row = _row(kpi, Period(2025, 3))
    assert row.change == Decimal(after) - Decimal(before)
    assert row.direction == direction


def test_a_month_with_no_figure_is_missing():
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi)
    row = _row(kpi, Period(2025, 3))
    assert row.status == Status.MISSING
    assert row.change is None


def test_the_framework_in_force_follows_the_month(frameworks):
    assert selectors.framework_in_force(Period(2024, 3)).code == "2018"
    assert selectors.framework_in_force(Period(2024, 4)).code == "2024"
    assert selectors.framework_in_force(Period(2017, 3)) is None


def test_the_year_sentence_reads_like_the_annual_review(demo):
    row = next(r for r in selectors.year_summary(FinancialYear(2024)).rows if r.kpi.code == "PI1")
    assert row.sentence() == (
        "Performance was on target for 1 month, below target but within tolerance for 10 months "
        "and outside tolerance for 1 month, ranging from 68.8% in October 2024 to 86.4% in March "
        "2025."
    )
    assert row.sentence(with_average=True).endswith(", with an average of 78.1%.")


def test_the_year_sentence_counts_only_the_colours_that_occurred(demo):
    row = next(r for r in selectors.year_summary(FinancialYear(2024)).rows if r.kpi.code == "PI10")
    assert row.sentence() == (
        "Performance was on target for 12 months, ranging from 96.3% in September 2024 to 99.0% "
        "in November 2024."
    )


def test_the_year_sentence_says_which_months_had_no_figure():
    framework = FrameworkFactory()
    kpi = KpiDefinitionFactory(framework=framework)
    ThresholdRuleFactory(kpi=kpi)
    _values(kpi, Period(2024, 4), ["85", "75"])
    row = selectors.year_summary(FinancialYear(2024)).rows[0]
    assert row.sentence().endswith("; no figure was reported for 10 months.")


LOWER = {"green_lower": None, "red_below": None, "green_upper": 15, "red_above": 22}
BAND = {"green_lower": 67, "green_upper": 75, "red_below": 62}


@pytest.mark.parametrize(
    ("polarity", "rule", "before", "after", "said"),
    [
        # Higher is better: green at 80% or more, red at 70% or less.
        pytest.param("higher_is_better", {}, "75.0", "74.1", "▼ 0.9 points further below target",
                     id="the-issues-example-worse-and-still-amber"),
        pytest.param("higher_is_better", {}, "74.1", "75.0", "▲ 0.9 points closer to target",
                     id="better-and-still-amber"),
        pytest.param("higher_is_better", {}, "75.0", "82.0", "▲ 7.0 points now on target",
                     id="back-on-target"),
        pytest.param("higher_is_better", {}, "82.0", "85.0", "▲ 3.0 points still on target",
                     id="better-on-target"),
        pytest.param("higher_is_better", {}, "85.0", "82.0", "▼ 3.0 points still on target",
                     id="worse-but-still-on-target"),
        pytest.param("higher_is_better", {}, "82.0", "75.0", "▼ 7.0 points now below target",
                     id="off-target"),
        pytest.param("higher_is_better", {}, "75.0", "65.0",
                     "▼ 10.0 points further below target, now red", id="amber-to-red"),
        pytest.param("higher_is_better", {}, "65.0", "75.0",
                     "▲ 10.0 points closer to target, now amber", id="red-to-amber"),
        pytest.param("higher_is_better", {}, "75.0", "75.0",
                     "= no change the same figure as Feb-25", id="the-same-figure"),
        # Lower is better (like PI3): a rise is bad news, and off target is "below target".
        pytest.param("lower_is_better", LOWER, "16.0", "18.5", "▲ 2.5 points further below target",
                     id="lower-is-better-rising-is-further-below-never-above"),
        pytest.param("lower_is_better", LOWER, "18.5", "16.0", "▼ 2.5 points closer to target",
                     id="lower-is-better-falling-is-closer"),
        pytest.param("lower_is_better", LOWER, "12.0", "16.0", "▲ 4.0 points now below target",
                     id="lower-is-better-rising-off-target"),
        pytest.param("lower_is_better", LOWER, "16.0", "23.0",
                     "▲ 7.0 points further below target, now red", id="lower-is-better-to-red"),
        pytest.param("lower_is_better", LOWER, "16.0", "12.0", "▼ 4.0 points now on target",
                     id="lower-is-better-back-on-target"),
        # A band: too few and too many are both off target, on their own side.
        pytest.param("band", BAND, "70.0", "80.0", "▲ 10.0 points now above the target range",
                     id="band-leaving-above"),
        pytest.param("band", BAND, "65.0", "64.0", "▼ 1.0 points further below the target range",
                     id="band-further-below"),
        pytest.param("band", BAND, "65.0", "78.0", "▲ 13.0 points now above the target range",
                     id="band-from-below-to-above"),
        pytest.param("band", BAND, "78.0", "76.0", "▼ 2.0 points closer to target",
                     id="band-coming-back-down"),
    ],
)  # fmt: skip
def test_the_change_column_says_what_happened_against_the_target(
    polarity, rule, before, after, said
):
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi, polarity=polarity, **rule)
    _values(kpi, Period(2025, 2), [before, after])
    assert str(_row(kpi, Period(2025, 3)).change_said) == said


def test_a_count_changes_by_a_grouped_figure_not_points():
    kpi = KpiDefinitionFactory(unit="count", decimal_places=0)
    ThresholdRuleFactory(kpi=kpi, green_lower=Decimal("5000"), red_below=Decimal("3000"))
    _values(kpi, Period(2025, 2), ["4000", "2800"])
    assert str(_row(kpi, Period(2025, 3)).change_said) == ("▼ 1,200 further below target, now red")


def test_a_month_without_last_months_figure_says_no_change():
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi)
    _values(kpi, Period(2025, 3), ["75"])
    assert _row(kpi, Period(2025, 3)).change_said is None


def test_the_year_never_says_above_target_for_a_lower_is_better_kpi_that_is_worse():
    # PI3 and PI11 of the demo: lower is better, so a figure above the line is short of it.
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi, polarity="lower_is_better", **LOWER)
    _values(kpi, Period(2024, 4), ["12", "16", "23"])
    row = selectors.year_summary(FinancialYear(2024)).rows[0]
    assert row.sentence().startswith(
        "Performance was on target for 1 month, below target but within tolerance for 1 month "
        "and outside tolerance for 1 month,"
    )
    assert "above target" not in row.sentence()


@pytest.mark.parametrize(
    ("reds", "shown"),
    [
        pytest.param(11, 11, id="a-streak-inside-the-sparkline"),
        pytest.param(12, 12, id="a-streak-as-long-as-the-sparkline"),
        pytest.param(15, 15, id="a-streak-reaching-back-past-the-sparkline"),
        pytest.param(30, selectors.HISTORY_MONTHS, id="a-streak-longer-than-the-history-fetched"),
    ],
)
def test_the_red_streak_counts_the_months_before_the_sparkline_when_it_reaches_them(reds, shown):
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi, effective_from=datetime.date(2021, 4, 1))
    kpi.framework.effective_from = datetime.date(2021, 4, 1)
    kpi.framework.save()
    end = Period(2025, 3)
    _values(kpi, end.shift(-reds), ["85"] + ["50"] * reds)

    row = _row(kpi, end)
    assert row.consecutive_red == shown
    assert len(row.recent) == selectors.SPARKLINE_MONTHS
    assert len(row.history) == selectors.HISTORY_MONTHS
    assert row.history[-selectors.SPARKLINE_MONTHS :] == row.recent


def test_the_months_before_the_sparkline_are_rated_only_when_asked_for():
    kpi = KpiDefinitionFactory()
    ThresholdRuleFactory(kpi=kpi, effective_from=datetime.date(2021, 4, 1))
    kpi.framework.effective_from = datetime.date(2021, 4, 1)
    kpi.framework.save()
    _values(kpi, Period(2023, 4), ["85"] * 24)

    row = _row(kpi, Period(2025, 3))
    assert "earlier" not in row.__dict__, "a green month ends the streak inside the sparkline"
    assert [month.status for month in row.history] == [Status.GREEN] * 24
    assert row.history[0].value.kpi == kpi
