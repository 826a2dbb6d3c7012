"""
The one benchmark computation (`opb_portal.comparators.benchmarks`), against a hand
calculation on a store built in code: symbols, ties, the June 2025 group change, years with
two, one and no neighbours' figures, and a year without Sandwell's.
"""

import datetime
from decimal import Decimal

import pytest

from opb_portal.accounts.models import Role
from opb_portal.comparators import benchmarks
from opb_portal.comparators.models import (
    ComparatorChange,
    ComparatorImport,
    ComparatorValue,
    PublishedAverage,
    PublishedMeasure,
    YearBasis,
)
from opb_portal.reference.models import Polarity, Unit

from . import store

HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER


@pytest.fixture
def authorities(db):
    return store.build()


@pytest.mark.parametrize(
    ("values", "polarity", "expected"),
    [
        pytest.param(
            {"a": 5, "b": 3, "c": 3, "d": 1},
            "",
            {"a": 1, "b": 2, "c": 2, "d": 4},
            id="highest-first-ties-share",
        ),
        pytest.param(
            {"a": 5, "b": 3, "c": 3, "d": 1},
            HIGHER,
            {"a": 1, "b": 2, "c": 2, "d": 4},
            id="higher-is-better",
        ),
        pytest.param(
            {"a": 5, "b": 3, "c": 3, "d": 1},
            LOWER,
            {"a": 4, "b": 2, "c": 2, "d": 1},
            id="lower-is-better",
        ),
        pytest.param({"a": 7, "b": 7, "c": 7}, "", {"a": 1, "b": 1, "c": 1}, id="all-tied"),
    ],
)
def test_ranks_put_the_best_first_and_ties_share_the_better_rank(values, polarity, expected):
    assert benchmarks.ranks(values, polarity) == expected


@pytest.mark.parametrize(
    ("rank", "count", "expected"),
    [
        # Of 10 the cuts fall at 2.5, 5 and 7.5: A is ranks 1-2, B 3-5, C 6-7, D 8-10.
        pytest.param(1, 10, "A", id="1-of-10"),
        pytest.param(2, 10, "A", id="2-of-10"),
        pytest.param(3, 10, "B", id="3-of-10"),
        pytest.param(5, 10, "B", id="5-of-10"),
        pytest.param(6, 10, "C", id="6-of-10"),
        pytest.param(7, 10, "C", id="7-of-10"),
        pytest.param(8, 10, "D", id="8-of-10"),
        pytest.param(10, 10, "D", id="10-of-10"),
        pytest.param(1, 4, "A", id="1-of-4"),
        pytest.param(2, 4, "B", id="2-of-4"),
        pytest.param(4, 4, "D", id="4-of-4"),
        pytest.param(3, 5, "C", id="3-of-5"),
        pytest.param(4, 5, "D", id="4-of-5"),
        pytest.param(38, 152, "A", id="38-of-152"),
        pytest.param(39, 152, "B", id="39-of-152"),
        pytest.param(115, 153, "D", id="115-of-153"),
    ],
)
def test_a_quartile_band_cuts_the_ranking_into_quarters_by_position(rank, count, expected):
    assert benchmarks.band(rank, count) == expected


def test_tied_authorities_share_a_band_by_hand():
    # 10, 9, 9, 9, 5, 1 (higher is better): ranks 1, 2, 2, 2, 5, 6 of 6; cuts at 1.5, 3, 4.5.
    ranked = benchmarks.ranks(dict(enumerate([10, 9, 9, 9, 5, 1])), HIGHER)
    assert [benchmarks.band(rank, 6) for rank in ranked.values()] == list("ABBBDD")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param(1, "1st", id="1"),
        pytest.param(2, "2nd", id="2"),
        pytest.param(3, "3rd", id="3"),
        pytest.param(11, "11th", id="11"),
        pytest.param(12, "12th", id="12"),
        pytest.param(23, "23rd", id="23"),
        pytest.param(152, "152nd", id="152"),
    ],
)
def test_a_position_is_written_as_an_ordinal(number, expected):
    assert benchmarks.ordinal(number) == expected


def test_2024_matches_a_hand_calculation_with_symbols_and_ties(authorities):
    store.figures(authorities, 2024, store.YEAR_2024)

    bench = benchmarks.benchmark(store.CODE, 2024)

    assert bench.home.value == Decimal("94.0")
    assert bench.average.mean == Decimal("90.0")
    assert bench.n_of == "8 of 10 published"
    assert bench.not_published == ["N01: c (suppressed)", "N02: no figure"]
    # Highest first: 120, 110, 100, Sandwell's 94, then 90 and 90 share 5th.
    assert (bench.rank, bench.of, bench.order) == (4, 9, "highest first")
    assert [(e.name, e.rank) for e in bench.neighbours][:6] == [
        ("N08", 1),
        ("N07", 2),
        ("N03", 3),
        ("N04", 5),
        ("N05", 5),
        ("N06", 7),
    ]
    # Every authority: 200, 120, 110, 100, then Sandwell's 94 ties O2's at 5th of 12;
    # the cuts of 12 fall at 3, 6 and 9, so 5th is band B.
    assert (bench.national_rank, bench.national_of, bench.band) == (5, 12, "B")
    assert bench.national_position == "5th of 12"
    assert bench.england.value == Decimal("70")
    assert bench.region.authority.name == "West Midlands"
    assert bench.region.value == Decimal("80")


def test_lower_is_better_turns_the_ranks_and_bands_round(authorities):
    store.figures(authorities, 2024, store.YEAR_2024)
    PublishedMeasure.objects.create(
        code=store.CODE,
        title="Children looked after per 10,000",
        publication="Children looked after in England including adoptions",
        cited_as="DfE, children looked after",
        file_pattern="cla*.csv",
        indicator="rate_per_10000",
        unit=Unit.RATE_PER_10000,
        polarity=LOWER,
    )

    bench = benchmarks.benchmark(store.CODE, 2024)

    # Lowest first: 60, 70, 80, 90, 90, then Sandwell's 94 at 6th of 9; of every authority
    # 10, 60, 70, 80, 90, 90, then 94 and 94 share 7th of 12: band C (cuts at 3, 6, 9).
    assert (bench.rank, bench.national_rank, bench.band) == (6, 7, "C")
    assert bench.order == "lowest is best"
    assert bench.band_meaning == "A is the best quarter, D the worst"


def test_the_group_is_the_one_in_force_at_the_figures_date(authorities):
    # Workforce figures count at 30 September: 2025's are compared with June 2025's group,
    # where March 2025's would be compared with the group before it.
    rows = {"Sandwell": "25", "M1": "10", "M2": "20", "N01": "30", "N09": "40", "N10": "50"}
    store.figures(authorities, 2025, rows, code="agency", basis=YearBasis.AT_SEPTEMBER)
    store.figures(authorities, 2025, rows, code="march")

    september = benchmarks.benchmark("agency", 2025)
    march = benchmarks.benchmark("march", 2025)

    assert september.group.name == "Neighbours from June 2025"
    # M1, M2 and N01: (10 + 20 + 30) / 3; N09 and N10 left the group.
    assert (september.average.mean, september.n_of) == (Decimal("20.0"), "3 of 10 published")
    assert (september.rank, september.of) == (2, 4)
    assert september.when == "at 30 September 2025"
    assert march.group.name == "Neighbours to May 2025"
    assert (march.average.mean, march.n_of) == (Decimal("40.0"), "3 of 10 published")


@pytest.mark.parametrize(
    ("rows", "mean", "rank", "band"),
    [
        pytest.param(
            {"Sandwell": "60", "N03": "50", "N04": "70"},
            Decimal("60.0"),
            2,
            "C",
            id="two-neighbours",
        ),
        pytest.param(
            {"Sandwell": "60", "N03": "50", "O1": "1", "O2": "2"},
            None,
            None,
            None,
            id="one-neighbour",
        ),
        pytest.param(
            {"Sandwell": "60", "N03": "c", "N04": "x"}, None, None, None, id="symbols-only"
        ),
    ],
)
def test_no_average_rank_or_band_from_fewer_than_two_neighbours(
    authorities, rows, mean, rank, band
):
    store.figures(authorities, 2023, rows)

    bench = benchmarks.benchmark(store.CODE, 2023)

    assert (bench.average.mean, bench.rank, bench.band) == (mean, rank, band)
    assert all(entry.rank is None for entry in bench.neighbours) == (rank is None)


def test_a_year_without_sandwells_figure_has_an_average_but_no_rank(authorities):
    rows = {k: v for k, v in store.YEAR_2024.items() if k != "Sandwell"}
    store.figures(authorities, 2024, rows)

    bench = benchmarks.benchmark(store.CODE, 2024)

    assert bench.home is None
    assert bench.average.mean == Decimal("90.0")
    assert (bench.rank, bench.national_rank, bench.band) == (None, None, None)
    assert bench.sentence() == (
        "neighbours 90.0 (8 of 10), England 70.0"
        " (DfE, children looked after, year to 31 March 2024)"
    )


def test_the_published_average_is_kept_beside_the_computed_mean(authorities):
    store.figures(authorities, 2024, store.YEAR_2024)
    group = authorities["N03"].neighbour_groups.get(name="Neighbours to May 2025")
    PublishedAverage.objects.create(code=store.CODE, group=group, year=2024, value=Decimal("90.5"))

    bench = benchmarks.benchmark(store.CODE, 2024)

    assert (bench.average.mean, bench.average.published.value) == (Decimal("90.0"), Decimal("90.5"))
    assert bench.average.difference == Decimal("-0.5")


def test_the_sentence_cites_the_source_and_the_year(authorities):
    store.figures(authorities, 2024, store.YEAR_2024)

    bench = benchmarks.benchmark(store.CODE, 2024)

    assert bench.sentence() == (
        "Sandwell 94.0, neighbours 90.0 (8 of 10), England 70.0"
        " (DfE, children looked after, year to 31 March 2024)"
    )


def test_a_benchmark_is_five_queries_however_many_figures(authorities, django_assert_num_queries):
    store.figures(authorities, 2024, store.YEAR_2024)
    # 5 queries: the code's polarity, the neighbour groups, their members, the year's
    # figures with their authorities, the published averages
    with django_assert_num_queries(5):
        benchmarks.benchmark(store.CODE, 2024).sentence()


def test_a_revision_says_when_its_figures_were_published_and_what_it_changed(authorities, people):
    store.figures(authorities, 2024, store.YEAR_2024)
    user = people[Role.ADMINISTRATOR]
    old = ComparatorImport.objects.create(
        source=ComparatorImport.Source.STATISTICS,
        publication="Children looked after in England including adoptions",
        published_on=datetime.date(2023, 11, 16),
        user=user,
    )
    new = ComparatorImport.objects.create(
        source=ComparatorImport.Source.STATISTICS,
        publication="Children looked after in England including adoptions",
        published_on=datetime.date(2024, 11, 14),
        user=user,
    )
    ComparatorValue.objects.filter(code=store.CODE, authority__name="N03").update(
        comparator_import=old
    )
    ComparatorValue.objects.filter(code=store.CODE, authority__name="Sandwell").update(
        comparator_import=new
    )
    ComparatorChange.objects.create(
        comparator_import=new,
        code=store.CODE,
        year=2024,
        authority=authorities["Sandwell"],
        old_value=Decimal("93.0"),
        new_value=Decimal("94.0"),
    )
    ComparatorChange.objects.create(
        comparator_import=new,
        code=store.CODE,
        year=2024,
        authority=authorities["N04"],
        new_value=Decimal("90"),
    )

    revision = benchmarks.revision(store.CODE, 2024)

    assert revision.published == (
        "Figures published 14 November 2024 (Children looked after in England including adoptions)"
    )
    assert [(c.about, c.old_value, c.new_value) for c in revision.revised] == [
        ("Sandwell", Decimal("93.0"), Decimal("94.0"))
    ]


def test_figures_loaded_by_the_code_have_no_release(authorities, django_assert_num_queries):
    store.figures(authorities, 2024, store.YEAR_2024)
    # 1 query: the latest release that set a figure of the year (none)
    with django_assert_num_queries(1):
        assert benchmarks.revision(store.CODE, 2024).published == ""
