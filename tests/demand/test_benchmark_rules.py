"""
Benchmarks that never mislead: no rank or average among fewer than two neighbours'
figures, a page that opens on the latest year comparing like with like, Sandwell's
figure of another date said beside it, and no benchmark page or link without comparators.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from demand import charts, selectors
from opb_portal.comparators.models import Authority, ComparatorValue
from opb_portal.periods import Period

CARE = "children_in_care"


@pytest.fixture
def officer(client, demand, reviewer):
    client.force_login(reviewer)
    return client


def neighbours(count: int) -> list[Authority]:
    """The first `count` members of the group in force at March 2024, by name."""
    bench = selectors.benchmark(selectors.benchmark_measure(CARE), 2024)
    names = sorted(a.name for a in bench.average.members)[:count]
    return list(Authority.objects.filter(name__in=names))


def only_these_neighbours(code: str, year: int, count: int) -> None:
    """The measure's neighbours' figures of `year` cut down to `count` of them."""
    keep = {a.pk for a in neighbours(count)}
    ComparatorValue.objects.filter(code=code, year=year, authority__kind="local_authority").exclude(
        authority_id__in=keep
    ).delete()


def sandwell(year: int, value: str) -> None:
    ComparatorValue.objects.create(
        code=CARE, authority=Authority.objects.get(name="Sandwell"), year=year, value=Decimal(value)
    )


@pytest.mark.parametrize(
    ("with_figures", "sandwell_2024", "rank", "no_rank"),
    [
        # Lowest is best (the shipped mapping's polarity): Sandwell's 93.0 is 7th of 11.
        pytest.param(10, "93.0", 7, "", id="ten-neighbours-same-year"),
        pytest.param(
            2, "93.0", 3, "", id="two-neighbours-are-enough"
        ),  # Birmingham 79, Blackburn 86
        pytest.param(
            1,
            "93.0",
            None,
            "Only 1 of the 10 neighbours has a figure for March 2024: too few to rank Sandwell.",
            id="one-neighbour-is-not",
        ),
        pytest.param(
            0,
            "93.0",
            None,
            "None of the 10 neighbours has a figure for March 2024: too few to rank Sandwell.",
            id="no-neighbour",
        ),
        pytest.param(
            10,
            None,
            None,
            "Sandwell's figure is for 31 March 2025, not March 2024, so it is not ranked"
            " against its neighbours' figures for March 2024.",
            id="sandwells-figure-of-another-date",
        ),
    ],
)
def test_a_rank_needs_two_neighbours_and_sandwells_figure_of_the_same_year(
    demand, with_figures, sandwell_2024, rank, no_rank
):
    only_these_neighbours(CARE, 2024, with_figures)
    if sandwell_2024:
        sandwell(2024, sandwell_2024)

    bench = selectors.benchmark(selectors.benchmark_measure(CARE), 2024)

    assert bench.rank == rank
    assert bench.no_rank == no_rank
    assert (bench.band is None) == (rank is None)
    assert bench.average.used == with_figures
    # No average of fewer than two, and no rank on any row without a rank for Sandwell.
    assert (bench.average.mean is None) == (with_figures < 2)
    assert all(row.rank is None for row in bench.ranked) == (rank is None)


@pytest.mark.parametrize(
    ("stored", "opens_on"),
    [
        # 2024: every neighbour and Sandwell's own published figure; 2025: one neighbour.
        pytest.param({2024: (10, "93.0"), 2025: (1, "95.0")}, 2024, id="latest-like-for-like"),
        pytest.param({2024: (10, "93.0"), 2025: (3, "95.0")}, 2025, id="latest-year-if-rankable"),
        # No year ranks: the latest where Sandwell and any neighbour have a figure.
        pytest.param({2023: (1, "90.0"), 2024: (1, None)}, 2024, id="latest-with-both"),
    ],
)
def test_the_page_opens_on_the_latest_year_that_compares_like_with_like(demand, stored, opens_on):
    ComparatorValue.objects.filter(code=CARE).delete()
    for year, (count, own) in stored.items():
        for authority in neighbours(count):
            ComparatorValue.objects.create(
                code=CARE, authority=authority, year=year, value=Decimal(80)
            )
        if own:
            sandwell(year, own)

    bench, history = selectors.benchmark_with_history(selectors.benchmark_measure(CARE))

    assert bench.year == opens_on
    assert [b.year for b in history.years] == sorted(stored)


def test_the_page_says_beside_sandwells_figure_when_it_is_of_another_date(officer):
    html = officer.get(reverse("demand:benchmark", args=[CARE])).content.decode()

    assert "Children we care for: benchmarks, March 2024" in html
    assert "Sandwell's figure: 94.0 <strong>for 31 March 2025, not March 2024</strong>" in html
    assert "so it is not ranked against its neighbours" in html
    assert "Sandwell ranks" not in html
    # The chart names the date beside Sandwell's bar.
    assert ">Sandwell (31 March 2025)</text>" in html


def test_a_page_with_too_few_neighbours_says_how_many_have_a_figure(officer):
    # Referrals: England and the region only, for 2024-25.
    html = officer.get(reverse("demand:benchmark", args=["referrals"])).content.decode()

    assert "None of the 10 neighbours has a figure for 2024-25: too few to rank Sandwell." in html
    assert "quartile" not in html.split('id="position-heading"')[1].split("</section>")[0]
    # One bar (Sandwell's) is a sentence, not a chart.
    assert "One bar compares nothing, so it is not drawn." in html


def test_the_dashboard_links_only_the_measures_with_comparators(officer):
    html = officer.get(reverse("demand:dashboard"), {"period": "2025-03"}).content.decode()

    assert 'href="/benchmarks/children_in_care/"' in html
    assert 'href="/benchmarks/referrals/"' in html
    stored = set(ComparatorValue.objects.values_list("code", flat=True))
    for code in selectors.Measure.objects.exclude(code__in=stored).values_list("code", flat=True):
        assert f'href="/benchmarks/{code}/"' not in html
        assert officer.get(reverse("demand:benchmark", args=[code])).status_code == 404


def test_the_benchmark_page_opening_on_its_own_year_runs_a_fixed_number_of_queries(
    officer, django_assert_num_queries
):
    url = reverse("demand:benchmark", args=[CARE])
    # 13 queries: session, user, the request's savepoint, the measure, its published
    # mapping's polarity, neighbour groups, their members, every authority's figure of every
    # year, the published averages, Sandwell's own figures, the child population, the release
    # that set the year's figures (none), the savepoint's release
    with django_assert_num_queries(13):
        officer.get(url)


@pytest.mark.parametrize(
    "differ", [pytest.param(False, id="same-month"), pytest.param(True, id="months-differ")]
)
def test_a_placement_chart_never_mixes_months_without_saying_so(demand, differ):
    # The demonstration's latest figures of the placement types are of March 2020, 2024
    # and 2025; keeping only March 2025's leaves the two fostering types of one month.
    if not differ:
        selectors.MeasureValue.objects.filter(
            measure__group=selectors.Measure.Group.PLACEMENTS,
            span="month",
            period__lt=Period(2025, 3),
        ).delete()

    chart = str(charts.placements_by_type_chart(selectors.demand_position(Period(2025, 3))))

    assert ("(months differ)" in chart) == differ
    assert (">In residential homes (Mar-24)</text>" in chart) == differ
    assert ("at Mar-25" in chart) == (not differ)
