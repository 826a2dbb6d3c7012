"""The stock-and-flow projection of children we care for, pinned on constructed series."""

from decimal import Decimal

import pytest

from demand import projection
from demand.projection import History
from opb_portal.core import projections
from opb_portal.periods import Period

D = Decimal
MAR23, MAR24 = Period(2023, 3), Period(2024, 3)
RESIDENTIAL, FOSTER_INTERNAL = projection.PLACEMENTS[0], projection.PLACEMENTS[2]


def history(
    *,
    opening=900,
    closing=1100,
    starts=240,
    ceases=240,
    populations=None,
    monthly=None,
    placements=None,
) -> History:
    """A year of flows (2023-24) between two counts at March; 100,000 children in 2023-24."""
    yearly = {
        "children_in_care": {MAR23: D(opening), MAR24: D(closing)},
        "entered_care": {MAR24: D(starts)},
        "ceased_care": {MAR24: D(ceases)},
    }
    months = {code: dict(values) for code, values in (monthly or {}).items()}
    for code, values in (placements or {}).items():
        months.setdefault(code, {}).update(values)
    return History(months, yearly, {2023: 100_000} if populations is None else populations)


def test_next_month_is_this_month_plus_starts_less_ceases():
    # Starts: 240 a year on 100,000 children is 24 per 10,000, so 20 a month on the same
    # population. Ceases: 240 a year over an average of 1,000 children in care is 24% a
    # year, 2% a month: 22 of 1,100, then 21.96 of 1,098.
    model = projection.model(history(), MAR24)
    assert model.path(2) == [D(1098), D("1096.04")]


def test_ceases_are_a_share_of_the_children_in_care_so_the_projection_settles():
    # 1,000 children: 20 start and 2% (20) cease each month, so the count holds.
    model = projection.model(history(opening=1000, closing=1000), MAR24)
    assert model.path(24) == [D(1000)] * 24


def test_starts_follow_the_child_population_of_the_month_projected():
    # 110,000 children from April 2024: 24 per 10,000 is 22 a month, as many as cease.
    found = history(populations={2023: 100_000, 2024: 110_000})
    assert projection.model(found, MAR24).path(1) == [D(1100)]


def test_a_year_with_no_population_of_its_own_takes_the_latest_before_it():
    found = history(populations={2022: 50_000, 2023: 100_000})
    assert found.population(2026) == 100_000
    assert found.population(2021) == 50_000


def test_without_any_population_the_starts_are_carried_forward_as_counts():
    model = projection.model(history(populations={}), MAR24)
    assert model.flows.start_rate is None
    assert model.path(1) == [D(1098)]
    assert "240 starts and 240 ceases" in model.basis


def test_the_basis_says_in_words_what_the_projection_rests_on():
    assert projection.model(history(), MAR24).basis == (
        "1,100 at 31 March 2024; 240 starts (24.0 per 10,000 children) and 240 ceases "
        "(24% of children in care) a year, as in 2023-24, carried forward"
    )


def test_it_starts_from_the_count_and_says_when_the_flows_do_not_add_up_to_it():
    # 900 + 240 - 240 = 900, but 1,100 were counted.
    model = projection.model(history(), MAR24)
    assert model.count == D(1100)
    assert model.reconciliation == (
        "The flows of 2023-24 do not add up to the count exactly (900 + 240 \u2212 240 = 900, "
        "counted 1,100): the projection starts from the count."
    )
    assert projection.model(history(opening=1100), MAR24).reconciliation == ""


def monthly_flows(entered=25, ceased=20, missing=None):
    months = [MAR24.shift(-k) for k in range(12)]
    return {
        "entered_care": {m: D(entered) for m in months if m != missing},
        "ceased_care": {m: D(ceased) for m in months if m != missing},
    }


@pytest.mark.parametrize(
    ("monthly", "starts", "is_monthly"),
    [
        pytest.param(monthly_flows(), D(300), True, id="twelve-months-of-the-return"),
        pytest.param(
            monthly_flows(missing=Period(2023, 9)), D(240), False, id="a-month-missing-year-total"
        ),
        pytest.param({}, D(240), False, id="only-the-year-total"),
    ],
)
def test_the_rates_come_from_monthly_flows_where_all_twelve_are_there(monthly, starts, is_monthly):
    flows = projection.model(history(monthly=monthly), MAR24).flows
    assert (flows.starts, flows.monthly) == (starts, is_monthly)


def test_monthly_counts_and_flows_carry_the_model_past_march():
    # Children in care counted monthly to August 2024, with twelve months of flows to it.
    aug = Period(2024, 8)
    months = [aug.shift(-k) for k in range(12)]
    found = history(
        monthly={
            "children_in_care": {Period(2023, 8): D(1000), aug: D(1050)},
            "entered_care": {m: D(20) for m in months},
            "ceased_care": {m: D(15) for m in months},
        }
    )
    model = projection.model(found, aug)
    assert (model.origin, model.count, model.flows.label) == (
        aug,
        D(1050),
        "the 12 months to Aug-24",
    )
    assert "1,050 at Aug-24; 240 starts" in model.basis


@pytest.mark.parametrize(
    "found",
    [
        pytest.param(History({}, {}, {2023: 100_000}), id="no-count"),
        pytest.param(
            History({}, {"children_in_care": {MAR24: D(1100)}}, {}), id="a-count-but-no-flows"
        ),
    ],
)
def test_there_is_no_projection_without_a_count_and_a_year_of_flows(found):
    assert projection.model(found, MAR24) is None
    assert projection.children_in_care(found, MAR24, 12) is None


def test_a_projection_after_a_later_month_starts_from_the_count_before_it():
    # Asked after June 2024 with the latest count at March: the months after June.
    found = projection.children_in_care(history(), Period(2024, 6), 2)
    path = projection.model(history(), MAR24).path(5)
    assert found.after == Period(2024, 6)
    assert found.values == tuple(v.quantize(D("0.1")) for v in path[3:])
    assert found.at(Period(2024, 7)) == found.values[0]


def test_the_flows_of_a_later_year_are_never_read_before_it():
    found = history()
    found.yearly["entered_care"][Period(2025, 3)] = D(999)
    found.yearly["ceased_care"][Period(2025, 3)] = D(1)
    found.yearly["children_in_care"][Period(2025, 3)] = D(2000)
    assert projection.model(found, Period(2024, 12)).flows.starts == D(240)


# --- placements -------------------------------------------------------------------------------


def test_a_placement_type_keeps_its_share_at_its_latest_count():
    # 88 of 1,100 (8%) at March 2024: 8% of the projection of children in care.
    found = history(placements={"placed_residential": {MAR24: D(88)}})
    projected = projection.placements(found, RESIDENTIAL, MAR24, 2)
    assert projected.values == (D("87.8"), D("87.7"))  # 8% of 1,098 and of 1,096.04
    assert projected.basis.startswith("88 of 1,100 (8.0%) at 31 March 2024 carried forward")


def test_in_house_fostering_includes_connected_carers_each_at_its_own_latest_count():
    # 330 of 1,100 (30%) at March 2024 and 90 of 900 (10%) at March 2023: 40%.
    found = history(
        placements={
            "placed_internal_foster": {MAR24: D(330)},
            "placed_connected": {MAR23: D(90)},
        }
    )
    projected = projection.placements(found, FOSTER_INTERNAL, MAR24, 1)
    assert projected.values == (D("439.2"),)  # 40% of 1,098
    assert "330 of 1,100 (30.0%) at 31 March 2024; 90 of 900 (10.0%) at 31 March 2023" in (
        projected.basis
    )


def test_a_type_counted_in_a_month_without_a_count_of_children_in_care_is_not_used():
    found = history(placements={"placed_residential": {Period(2023, 6): D(70)}})
    assert projection.placements(found, RESIDENTIAL, MAR24, 1) is None


def test_a_type_with_part_of_its_counts_says_which_is_missing():
    found = history(placements={"placed_internal_foster": {MAR24: D(330)}})
    assert projection.placements(found, FOSTER_INTERNAL, MAR24, 1).basis.startswith(
        "330 of 1,100 (30.0%) at 31 March 2024 (no count of placed_connected) carried forward"
    )


# --- the registry -----------------------------------------------------------------------------


def test_every_agreed_key_is_offered_through_core_projections(monkeypatch):
    monkeypatch.setattr(projections, "_PROVIDERS", {})
    found = history(
        placements={
            code: {MAR24: D(110)}
            for code in (
                "placed_residential",
                "placed_supported_living",
                "placed_internal_foster",
                "placed_external_foster",
            )
        }
    )
    projection.register(lambda by: found)
    keys = ["children_in_care", *(p.key for p in projection.PLACEMENTS)]
    answers = {k: projections.projected(k, after=MAR24, months=3) for k in keys}
    assert answers["children_in_care"].values == (D(1098), D("1096.0"), D("1094.1"))
    assert answers["placements.residential"].values == (D("109.8"), D("109.6"), D("109.4"))
    assert all(len(a.values) == 3 and a.after == MAR24 for a in answers.values())


def test_every_key_comes_from_one_read_of_the_figures(monkeypatch):
    monkeypatch.setattr(projections, "_PROVIDERS", {})
    reads = []
    projection.register(lambda by: reads.append(by) or history())
    keys = ["children_in_care", *(p.key for p in projection.PLACEMENTS), "nobody.keeps.this"]

    found = projections.projected_all(keys, after=MAR24, months=3)

    assert reads == [MAR24]
    assert list(found) == keys
    assert found["nobody.keeps.this"] is None


# --- the backtest -----------------------------------------------------------------------------


def test_the_backtest_projects_a_year_from_each_march_and_compares_it_with_the_next():
    # Three years of steady flows (20 start and 2% cease a month) from 1,000 children:
    # from March 2024 the projection holds 1,000; the count was 1,030 a year later.
    years = [Period(2022 + k, 3) for k in range(4)]
    counts = [1000, 1000, 1000, 1030]
    found = History(
        {},
        {
            "children_in_care": {p: D(c) for p, c in zip(years, counts, strict=True)},
            "entered_care": {p: D(240) for p in years[1:]},
            "ceased_care": {p: D(240) for p in years[1:]},
        },
        {2023: 120_000},
    )
    test = projection.backtest(found, Period(2025, 3))
    # From March 2023 (flows of 2022-23) and March 2024: not 2022, which has no flows before it.
    assert test.origins == (Period(2023, 3), Period(2024, 3))
    assert test.errors == (D(0), D(-30))
    assert test.baseline == (D(0), D(-30))
    assert (test.tries, test.hits, test.within) == (2, 1, D(0))
    assert test.sentence == (
        "Tested on each March from 2023 to 2024, projecting a year and comparing with the "
        "next March's count: the one-year projection was within 0 children 1 times in 2; the "
        "last count carried forward was within 0 children 1 times in 2."
    )


def test_the_backtest_never_compares_with_a_count_after_the_month_it_is_shown_for():
    assert projection.backtest(history(), Period(2025, 2)) is None
