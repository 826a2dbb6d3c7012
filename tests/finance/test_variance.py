"""A line's RAG from its variance and the year's tolerance, and how money is written."""

from decimal import Decimal

import pytest

from finance import variance
from opb_portal.formatting import millions, pounds
from opb_portal.rag import Status

D = Decimal
TOLERANCE = {"percent": D(2), "amount": D(100_000)}


@pytest.mark.parametrize(
    ("budget", "allowed"),
    [
        pytest.param(D(20_981_792), D(419_636), id="a-large-line-2-percent-rounded"),
        pytest.param(D(4_100_000), D(100_000), id="a-small-line-the-amount"),
        pytest.param(D(5_000_000), D(100_000), id="both-equal"),
        pytest.param(D(0), D(100_000), id="an-unbudgeted-line"),
    ],
)
def test_the_tolerance_is_the_larger_of_the_percentage_and_the_amount(budget, allowed):
    assert variance.tolerance(budget, **TOLERANCE) == allowed


@pytest.mark.parametrize(
    ("kind", "forecast", "status"),
    [
        # Budget £10,000,000: tolerance £200,000 (2%), red beyond £400,000.
        pytest.param("expenditure", D(9_000_000), Status.GREEN, id="underspend-is-green"),
        pytest.param("expenditure", D(10_200_000), Status.GREEN, id="overspend-at-tolerance"),
        pytest.param("expenditure", D(10_200_001), Status.AMBER, id="a-pound-beyond-is-amber"),
        pytest.param("expenditure", D(10_400_000), Status.AMBER, id="twice-tolerance-is-amber"),
        pytest.param("expenditure", D(10_400_001), Status.RED, id="beyond-twice-is-red"),
        pytest.param("income", D(11_000_000), Status.GREEN, id="extra-income-is-green"),
        pytest.param("income", D(9_800_000), Status.GREEN, id="shortfall-at-tolerance"),
        pytest.param("income", D(9_599_999), Status.RED, id="shortfall-beyond-twice"),
        pytest.param("savings", D(9_700_000), Status.AMBER, id="savings-shortfall-amber"),
        pytest.param("expenditure", None, Status.MISSING, id="no-forecast"),
    ],
)
def test_the_rag_of_a_ten_million_line(kind, forecast, status):
    allowed = variance.tolerance(D(10_000_000), **TOLERANCE)
    assert variance.status(kind, D(10_000_000), forecast, allowed=allowed) == status


def test_the_rule_is_described_with_its_figures():
    assert variance.describe("income", D(1_200_000), **TOLERANCE) == (
        "Green: shortfall up to £100,000 (the larger of 2% of £1,200,000 and £100,000); "
        "amber: up to £200,000; red: more than £200,000."
    )


@pytest.mark.parametrize(
    ("value", "signed", "shown"),
    [
        pytest.param(D(8_788_115), False, "£8,788,115", id="pounds"),
        pytest.param(D(-352_961), False, "−£352,961", id="negative"),
        pytest.param(D(1_400_000), True, "+£1,400,000", id="signed"),
        pytest.param(D(0), True, "£0", id="zero-has-no-sign"),
        pytest.param(None, False, "–", id="none"),
    ],
)
def test_pounds_in_tables(value, signed, shown):
    assert pounds(value, signed=signed) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(D(8_788_115), "£8.79m", id="deficit"),
        pytest.param(D(19_707_432), "£19.71m", id="cumulative"),
        pytest.param(D(99_205_745), "£99.21m", id="expenditure"),
        pytest.param(D(2_005_000), "£2.01m", id="half-rounds-up"),
        pytest.param(D(-352_961), "−£0.35m", id="negative"),
    ],
)
def test_millions_in_headlines(value, shown):
    assert millions(value) == shown
