"""The demonstration's demand figures are the published ones, to the unit."""

from decimal import Decimal

import pytest

from demand import selectors
from demand.models import Measure, MeasureValue
from opb_portal.periods import Period

YEAR, MONTH = MeasureValue.Span.YEAR, MeasureValue.Span.MONTH

AT_31_MARCH = {
    "early_help": [477, 702, 486, 436, 624, 670, 679, 546],
    "assessments": [398, 788, 630, 789, 582, 635, 718, 677],
    "children_in_need": [941, 883, 810, 856, 558, 624, 658, 677],
    "cp_plans": [829, 584, 671, 485, 409, 333, 473, 353],
    "children_in_care": [767, 901, 874, 888, 844, 802, 808, 816],
    "care_experienced": [268, 282, 324, 328, 355, 356, 366, 390],
}
YEAR_TOTALS = {
    "referrals": [6364, 6381, 5397, 4454, 4205, 4497, 3728],
    "s47_enquiries": [2559, 2222, 2012, 1865, 1733, 1690, 1247],
    "icpc": [953, 913, 804, 554, 482, 611, 422],
    "entered_care": [330, 184, 214, 154, 160, 188, 265],
    "ceased_care": [195, 217, 194, 198, 210, 173, 260],
}
PUBLISHED_RATES = {
    "referrals": ["758", "753", "633", "525", "491", "506", "429.3"],
    "s47_enquiries": ["305", "262", "236", "220", "202", "195", "143.61"],
    "icpc": ["114", "108", "94", "65", "56", "70", "61.7"],
}
FOSTER = {
    "placed_internal_foster": [285, 283, 280, 277, 269, 276, 268, 272, 269, 272, 270, 267, 266],
    "placed_external_foster": [300, 309, 310, 308, 294, 284, 287, 288, 296, 293, 302, 300, 295],
}

PUBLISHED = (
    [
        pytest.param(code, Period(2018 + i, 3), YEAR, value, id=f"{code}-march-{2018 + i}")
        for code, values in AT_31_MARCH.items()
        for i, value in enumerate(values)
    ]
    + [
        pytest.param(code, Period(2019 + i, 3), YEAR, value, id=f"{code}-{2018 + i}-{19 + i}")
        for code, values in YEAR_TOTALS.items()
        for i, value in enumerate(values)
    ]
    + [
        pytest.param(code, Period(2024, 3).shift(i), MONTH, value, id=f"{code}-{i}")
        for code, values in FOSTER.items()
        for i, value in enumerate(values)
    ]
    + [
        pytest.param("re_referral_rate", Period(2024, 3), YEAR, "20.9", id="re-referrals-2023-24"),
        pytest.param("re_referral_rate", Period(2025, 3), YEAR, "22.9", id="re-referrals-2024-25"),
        pytest.param("placed_residential", Period(2024, 3), MONTH, 62, id="residential-mar-24"),
        pytest.param("placed_internal_foster", Period(2020, 3), MONTH, 160, id="internal-q4-19-20"),
        pytest.param("placed_connected", Period(2019, 6), MONTH, 182, id="connected-q1-19-20"),
        pytest.param("placed_residential", Period(2020, 3), MONTH, 51, id="residential-q4-19-20"),
        pytest.param("placed_other", Period(2019, 6), MONTH, 0, id="other-q1-19-20"),
    ]
)


@pytest.mark.parametrize(("code", "period", "span", "value"), PUBLISHED)
def test_each_published_demand_figure_is_stored_exactly(demand, code, period, span, value):
    stored = MeasureValue.objects.get(measure__code=code, period=period.first_day, span=span)
    assert stored.value == Decimal(value)


@pytest.mark.parametrize(
    ("code", "end", "rate"),
    [
        pytest.param(code, 2019 + i, rate, id=f"{code}-{2018 + i}-{19 + i}")
        for code, rates in PUBLISHED_RATES.items()
        for i, rate in enumerate(rates)
    ],
)
def test_each_published_rate_is_kept_beside_the_count(demand, code, end, rate):
    stored = MeasureValue.objects.get(measure__code=code, period=Period(end, 3).first_day)
    assert stored.published_rate == Decimal(rate)


def test_no_figure_is_stored_that_the_sources_do_not_give(demand):
    published = sum(len(v) for v in (*AT_31_MARCH.values(), *YEAR_TOTALS.values()))
    published += sum(len(v) for v in FOSTER.values()) + 2 + 1  # re-referrals, residential
    published += 8 * 4  # 2019-20 by placement type and quarter
    assert MeasureValue.objects.filter(illustrative=False).count() == published


def test_the_only_figures_the_sources_do_not_give_are_the_care_leavers_marked_illustrative(
    demand,
):
    made_up = MeasureValue.objects.filter(illustrative=True)
    # Three outcomes, 2022-23 to 2024-25: the seeds publish none of them for Sandwell.
    assert sorted(set(made_up.values_list("measure__code", flat=True))) == [
        "care_leavers_eet",
        "care_leavers_in_touch",
        "care_leavers_suitable_accommodation",
    ]
    assert made_up.count() == 9
    assert {v.source for v in made_up} == {"Illustrative: a demonstration figure, not published"}


def test_the_child_population_of_2024_25_is_data(demand):
    assert selectors.populations()[2024] == 86835


@pytest.mark.parametrize(
    ("code", "period", "rate"),
    [
        pytest.param("cp_plans", Period(2025, 3), "40.7", id="353-on-a-plan-is-40.7"),
        pytest.param("children_in_care", Period(2025, 3), "94.0", id="816-in-care-is-94.0"),
        pytest.param("referrals", Period(2025, 3), "429.3", id="3728-referrals-is-429.3"),
        pytest.param("s47_enquiries", Period(2025, 3), "143.6", id="1247-s47s-is-143.6"),
        pytest.param("entered_care", Period(2025, 3), "30.5", id="265-entering-is-30.5"),
        pytest.param("ceased_care", Period(2025, 3), "29.9", id="260-ceasing-is-29.9"),
    ],
)
def test_it_derives_rates_per_10000_from_the_years_child_population(demand, code, period, rate):
    (found,) = [f for f in selectors.figures(span=YEAR, codes=[code]) if f.value.period == period]
    assert found.rate == Decimal(rate)


def test_a_year_without_a_child_population_has_no_rate_rather_than_a_guess(demand):
    (found,) = [
        f
        for f in selectors.figures(span=YEAR, codes=["cp_plans"])
        if f.value.period == Period(2024, 3)
    ]
    assert found.rate is None


def test_a_published_rate_that_disagrees_with_the_derived_one_shows_the_difference(demand):
    # 422 conferences of 86,835 children is 48.6 per 10,000; the review printed 61.7.
    (found,) = [
        f for f in selectors.figures(span=YEAR, codes=["icpc"]) if f.value.period == Period(2025, 3)
    ]
    assert (found.rate, found.value.published_rate) == (Decimal("48.6"), Decimal("61.7"))
    assert found.rate_difference == Decimal("-13.1")


def test_the_cp_plan_rate_is_rated_against_its_local_target(demand):
    (march_2025,) = [
        f
        for f in selectors.figures(span=YEAR, codes=["cp_plans"])
        if f.value.period == Period(2025, 3)
    ]
    assert march_2025.status == "green"
    assert Measure.objects.get(code="cp_plans").describe_target() == (
        "Green ≤ 45.0; Amber > 45.0 and < 55.0; Red ≥ 55.0"
    )


def test_a_measure_without_a_target_has_no_rag(demand):
    (found, *_) = selectors.figures(span=YEAR, codes=["children_in_care"])
    assert found.status is None


def test_loading_the_demonstration_twice_changes_nothing(demand):
    from demand.demo import load_demo_demand

    before = MeasureValue.objects.count()
    load_demo_demand()
    assert MeasureValue.objects.count() == before


def test_every_year_figure_is_labelled_by_what_it_counts(demand):
    at_end = MeasureValue.objects.get(measure__code="cp_plans", period="2025-03-01")
    total = MeasureValue.objects.get(measure__code="referrals", period="2025-03-01")
    assert (at_end.label, total.label) == ("31 March 2025", "2024-25")
