"""
KPI figures keep the digits the Trust sent: `86.40` stays `86.40`, `40.7` stays `40.7`.

`ExactDecimalField` is an unconstrained PostgreSQL `numeric`; these tests
read every value back from the database, not from the saved instance.
"""

import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis.models import KpiValue

from .factories import KpiDefinitionFactory, KpiValueFactory

BIG = "123456789012345678901234567890.123456789012345678901234567890"


def read_back(value) -> Decimal:
    saved = KpiValueFactory(value=value)
    return KpiValue.objects.get(pk=saved.pk).value


@pytest.mark.parametrize(
    ("entered", "expected"),
    [
        pytest.param(Decimal("86.40"), "86.40", id="trailing-zero-kept"),
        pytest.param(Decimal("40.7"), "40.7", id="one-place-not-padded"),
        pytest.param(Decimal("94.0"), "94.0", id="point-zero-kept"),
        pytest.param(Decimal("70"), "70", id="whole-number-stays-whole"),
        pytest.param(Decimal("-3.250"), "-3.250", id="negative"),
        pytest.param(Decimal("0.00"), "0.00", id="zero-with-places"),
        pytest.param(Decimal(BIG), BIG, id="sixty-digits"),
        pytest.param("86.40", "86.40", id="text-is-read-as-a-decimal"),
        pytest.param(" 23.94 ", "23.94", id="text-with-spaces"),
    ],
)
def test_a_value_reads_back_with_exactly_the_digits_entered(db, entered, expected):
    value = read_back(entered)
    assert isinstance(value, Decimal)
    assert str(value) == expected


def test_values_compare_as_numbers_in_queries(db):
    kpi = KpiDefinitionFactory()
    KpiValueFactory(kpi=kpi, period="2025-02-01", value=Decimal("86.40"))
    KpiValueFactory(kpi=kpi, period="2025-03-01", value=Decimal("9.5"))
    assert KpiValue.objects.filter(value=Decimal("86.4")).count() == 1
    # As text, "9.5" would sort after "86.40".
    assert list(KpiValue.objects.order_by("value").values_list("value", flat=True)) == [
        Decimal("9.5"),
        Decimal("86.40"),
    ]


def _unsaved(value) -> KpiValue:
    return KpiValue(kpi=KpiDefinitionFactory(), period="2025-03-01", value=value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("NaN", id="text-nan"),
        pytest.param("Infinity", id="text-infinity"),
        pytest.param("-Infinity", id="text-minus-infinity"),
        pytest.param(math.nan, id="float-nan"),
        pytest.param(math.inf, id="float-infinity"),
        pytest.param(Decimal("NaN"), id="decimal-nan"),
        pytest.param(Decimal("Infinity"), id="decimal-infinity"),
    ],
)
def test_a_value_that_is_not_a_finite_number_is_refused(db, value):
    with pytest.raises(ValidationError, match="not a finite number"):
        _unsaved(value).full_clean()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("86,4", id="decimal-comma"),
        pytest.param("86.4%", id="percent-sign"),
        pytest.param("", id="empty"),
    ],
)
def test_a_value_that_is_not_a_number_is_refused(db, value):
    with pytest.raises(ValidationError, match="value"):
        _unsaved(value).full_clean()


def test_a_finite_value_passes_full_clean(db):
    _unsaved(Decimal("86.40")).full_clean()
