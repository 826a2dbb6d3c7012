"""Statistical neighbour averages are worked out from the members' figures."""

import datetime
from decimal import Decimal

from opb_portal.comparators import selectors
from opb_portal.comparators.models import Authority, ComparatorValue


def test_the_mean_of_the_ten_neighbours_at_march_2024_is_the_published_95_2(demand):
    average = selectors.neighbour_average("children_in_care", 2024)
    assert average.mean == Decimal("95.2")
    assert (average.used, average.of) == (10, 10)
    assert average.published.value == Decimal("95.2")
    assert average.difference == Decimal("0.0")


def test_the_average_uses_the_figures_that_exist_and_says_how_many(demand):
    ComparatorValue.objects.filter(authority__name="Stoke-on-Trent").delete()
    average = selectors.neighbour_average("children_in_care", 2024)
    # (952 - 191) / 9 = 84.6: Stoke-on-Trent's absence moves the mean a long way.
    assert (average.mean, average.used, average.of) == (Decimal("84.6"), 9, 10)
    assert average.difference == Decimal("-10.6")
    assert average.explain() == (
        "Mean of 9 of 10 (Statistical neighbours to May 2025); no figure for Stoke-on-Trent. "
        "Published average 95.2, a difference of -10.6."
    )


def test_england_is_not_counted_as_a_neighbour(demand):
    average = selectors.neighbour_average("children_in_care", 2024)
    assert "England" not in average.values


def test_the_group_changes_in_june_2025(demand):
    may = selectors.group_in_force(datetime.date(2025, 5, 31))
    june = selectors.group_in_force(datetime.date(2025, 6, 1))
    assert {a.name for a in may.members.all()} >= {"Birmingham", "Derby", "Peterborough"}
    assert {a.name for a in june.members.all()} == {
        "Wolverhampton",
        "Kingston upon Hull, City of",
        "Stoke-on-Trent",
        "Walsall",
        "Rochdale",
        "Bradford",
        "Middlesbrough",
        "Coventry",
        "Oldham",
        "Luton",
    }
    assert may.members.count() == june.members.count() == 10


def test_a_measure_without_neighbour_figures_has_no_mean_and_says_so(demand):
    average = selectors.neighbour_average("referrals", 2025)
    assert average.mean is None
    assert average.used == 0
    assert average.published.value == Decimal("610.6")


def test_every_authority_has_a_kind(demand):
    kinds = dict(Authority.objects.values_list("name", "kind"))
    assert kinds["England"] == "england"
    assert kinds["West Midlands"] == "region"
    assert kinds["Sandwell"] == "local_authority"


def test_it_fetches_the_average_in_four_queries(demand, django_assert_num_queries):
    # 4 queries: neighbour groups, their members, the members' figures, the published average
    with django_assert_num_queries(4):
        selectors.neighbour_average("children_in_care", 2024).explain()
