"""Rules about one measure, one figure, one neighbour group."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from demand.models import Measure, MeasureValue
from opb_portal.comparators.models import NeighbourGroup


@pytest.mark.parametrize(
    ("count", "rate"),
    [
        pytest.param(353, "40.7", id="cp-plans"),
        pytest.param(816, "94.0", id="children-in-care"),
        pytest.param(3728, "429.3", id="referrals"),
        pytest.param(0, "0.0", id="none"),
    ],
)
def test_it_turns_a_count_into_a_rate_per_10000_to_one_place(count, rate):
    assert Measure.rate(Decimal(count), 86835) == Decimal(rate)


def _measure(**kwargs):
    defaults = {
        "code": "x",
        "title": "X",
        "group": Measure.Group.CARE,
        "unit": "count",
        "kind": Measure.Kind.AT_END,
    }
    return Measure(**defaults | kwargs)


def test_a_target_needs_a_polarity():
    with pytest.raises(ValidationError, match="polarity"):
        _measure(green_upper=Decimal(45), red_above=Decimal(55)).clean()


def test_a_target_must_have_the_shape_of_its_polarity():
    measure = _measure(polarity="lower_is_better", green_lower=Decimal(45))
    with pytest.raises(ValidationError):
        measure.clean()


def test_only_a_count_can_have_a_rate_per_10000():
    with pytest.raises(ValidationError, match="Only a count"):
        _measure(unit="percent", per_10000=True).clean()


@pytest.mark.parametrize(
    ("value", "status"),
    [
        pytest.param("45.0", "green", id="45.0-green"),
        pytest.param("45.1", "amber", id="45.1-amber"),
        pytest.param("54.9", "amber", id="54.9-amber"),
        pytest.param("55.0", "red", id="55.0-red"),
    ],
)
def test_a_local_target_is_rated_by_the_one_evaluator(value, status):
    measure = _measure(
        polarity="lower_is_better",
        green_upper=Decimal(45),
        red_above=Decimal(55),
        red_above_inclusive=True,
    )
    assert measure.evaluate(Decimal(value)) == status


def test_a_year_figure_is_stored_against_march():
    value = MeasureValue(
        measure=_measure(), period=datetime.date(2025, 2, 1), span="year", value=Decimal(1)
    )
    with pytest.raises(ValidationError, match="March"):
        value.clean()


def test_a_group_covers_the_days_between_its_dates():
    group = NeighbourGroup(
        effective_from=datetime.date(2025, 6, 1), effective_to=datetime.date(2026, 5, 31)
    )
    assert not group.covers(datetime.date(2025, 5, 31))
    assert group.covers(datetime.date(2025, 6, 1))
    assert not group.covers(datetime.date(2026, 6, 1))
