"""The projection on the demonstration's published figures: 2024-25 and the backtest 2018-25."""

from decimal import Decimal

import pytest

from demand import projection, selectors
from opb_portal.core import projections
from opb_portal.periods import Period

D = Decimal
MARCH_2025 = Period(2025, 3)


@pytest.fixture
def history(demand):
    return selectors.in_care_history(MARCH_2025)


def test_it_reads_the_counts_and_flows_in_two_queries(demand, django_assert_num_queries):
    # 2 queries: the figures of children in care, their flows and placements; the child population
    with django_assert_num_queries(2):
        selectors.in_care_history(MARCH_2025)


def test_the_published_flows_of_2024_25_do_not_reconcile_so_it_starts_from_the_count(history):
    model = projection.model(history, MARCH_2025)
    flows = model.flows
    assert (flows.opening, flows.starts, flows.ceases, flows.closing) == (808, 265, 260, 816)
    assert flows.opening + flows.starts - flows.ceases == 813
    assert model.count == 816
    assert "(808 + 265 \u2212 260 = 813, counted 816)" in model.reconciliation


def test_the_rates_are_30_5_starts_per_10000_and_32_percent_ceasing(history):
    flows = projection.model(history, MARCH_2025).flows
    # 265 of 86,835 children; 260 of the average of 808 and 816.
    assert flows.start_rate.quantize(D("0.01")) == D("30.52")
    assert flows.cease_share.quantize(D("0.0001")) == D("0.3202")


def test_children_we_care_for_are_projected_from_816(demand):
    found = projections.projected("children_in_care", after=MARCH_2025, months=12)
    # 816 + 22.08 starts - 2.67% of 816 = 816.3, rising slowly to where starts meet ceases.
    assert found.values[0] == D("816.3")
    assert found.values[-1] == D("819.2")
    assert found.basis == (
        "816 at 31 March 2025; 265 starts (30.5 per 10,000 children) and 260 ceases "
        "(32% of children in care) a year, as in 2024-25, carried forward"
    )


@pytest.mark.parametrize(
    ("key", "first", "basis"),
    [
        pytest.param(
            "placements.residential", D("62.6"), "62 of 808 (7.7%) at 31 March 2024", id="resi"
        ),
        pytest.param(
            "placements.supported", D("33.6"), "36 of 874 (4.1%) at 31 March 2020", id="supported"
        ),
        pytest.param(
            "placements.foster_internal",
            D("445.4"),
            "266 of 816 (32.6%) at 31 March 2025; 192 of 874 (22.0%) at 31 March 2020",
            id="in-house-and-connected",
        ),
        pytest.param(
            "placements.foster_external",
            D("295.1"),
            "295 of 816 (36.2%) at 31 March 2025",
            id="external",
        ),
    ],
)
def test_each_placement_type_keeps_its_share_at_its_latest_count(demand, key, first, basis):
    found = projections.projected(key, after=MARCH_2025, months=12)
    assert found.values[0] == first
    assert found.basis.startswith(basis)


def test_a_projection_says_the_level_it_starts_from_so_another_count_can_take_its_growth(demand):
    # Finance counts 79 in residential placements in March 2025; demand's latest count is
    # 62 a year earlier. Finance takes the projection's growth, not its level.
    found = projections.projected("placements.residential", after=MARCH_2025, months=12)
    assert found.start == D("62.6")  # 816 x 62 / 808
    assert found.growth(MARCH_2025.shift(12)) == found.values[-1] / D("62.6")
    assert found.growth(MARCH_2025) is None  # no projection for the month it starts from


def test_asked_after_october_2024_it_starts_from_march_2024_and_the_flows_of_2023_24(demand):
    found = projections.projected("children_in_care", after=Period(2024, 10), months=6)
    assert found.basis.startswith("808 at 31 March 2024; 188 starts")
    assert found.at(Period(2024, 11)) == found.values[0]


def test_the_one_year_projection_is_backtested_on_each_march_from_2019(history):
    test = projection.backtest(history, MARCH_2025)
    # From March 2019 (the first with a year of flows before it) to March 2024.
    assert test.origins == tuple(Period(year, 3) for year in range(2019, 2025))
    assert [e.quantize(D(1)) for e in test.errors] == [134, -41, 61, 7, -46, 5]
    assert test.baseline == (27, -14, 44, 42, -6, -8)
    # Honest: on these years the last count carried forward did better.
    assert test.sentence.endswith(
        "the one-year projection was within 61 children 5 times in 6; the last count carried "
        "forward was within 42 children 5 times in 6."
    )
