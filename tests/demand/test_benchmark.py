"""The benchmark page: Sandwell against its statistical neighbours."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from demand import selectors
from opb_portal.accounts.models import Role
from opb_portal.comparators.models import (
    Authority,
    ComparatorChange,
    ComparatorImport,
    ComparatorValue,
)


@pytest.fixture
def officer(client, demand, reviewer):
    client.force_login(reviewer)
    return client


def test_children_we_care_for_in_2024_set_sandwells_later_figure_beside_and_unranked(demand):
    bench = selectors.benchmark(selectors.benchmark_measure("children_in_care"), 2024)
    # Lowest first: the shipped mapping of the DfE's rate says lower is better (as PI7).
    assert [row.name for row in bench.ranked][:5] == [
        "Luton",
        "Peterborough",
        "Birmingham",
        "Wolverhampton",
        "Coventry",
    ]
    # Sandwell's March 2024 rate needs the 2023-24 child population, which is not
    # stored: the page shows March 2025's 94.0, as the review did, and says so; a rank
    # of March 2025's figure among March 2024's would compare unlike with unlike.
    assert bench.home.value == Decimal("94.0")
    assert bench.home.other_date == "31 March 2025"
    assert "no figure for 2024" in bench.home.note
    assert (bench.rank, bench.group_size, bench.band) == (None, 11, None)
    assert [row.rank for row in bench.ranked] == [None] * 11
    assert bench.no_rank == (
        "Sandwell's figure is for 31 March 2025, not March 2024, so it is not ranked"
        " against its neighbours' figures for March 2024."
    )


def _sandwell_published(year=2024, value="93.0"):
    ComparatorValue.objects.create(
        code="children_in_care",
        authority=Authority.objects.get(name="Sandwell"),
        year=year,
        value=Decimal(value),
    )


def test_the_comparators_are_the_computed_and_published_averages_and_england(demand):
    bench = selectors.benchmark(selectors.benchmark_measure("children_in_care"), 2024)
    others = {row.kind: (row.value, row.note) for row in bench.others}
    assert others["average"] == (Decimal("95.2"), "mean of 10 of 10")
    assert others["published_average"][0] == Decimal("95.2")
    assert others["england"][0] == Decimal("70")


def test_a_published_figure_for_sandwell_wins_over_a_derived_one(demand):
    ComparatorValue.objects.create(
        code="children_in_care",
        authority=Authority.objects.get(name="Sandwell"),
        year=2024,
        value=Decimal("93.0"),
    )
    bench = selectors.benchmark(selectors.benchmark_measure("children_in_care"), 2024)
    assert (bench.home.value, bench.home.note) == (Decimal("93.0"), "published")


def test_the_page_shows_rank_quartile_and_how_the_average_was_worked_out(officer):
    _sandwell_published()
    response = officer.get(reverse("demand:benchmark", args=["children_in_care"]), {"year": "2024"})
    html = response.content.decode()
    assert response.status_code == 200
    # Issue 16: the quartile is the band among every local authority with a figure (here
    # the same eleven), A to D, no longer the quarter of the neighbour group, 1 to 4.
    assert (
        "Sandwell ranks 7 of 11 among its statistical neighbours (lowest is best), 7th of 11"
        " local authorities with a figure, in quartile band C (A is the best quarter, D the"
        " worst)." in html
    )
    assert "Neighbours: 10 of 10 published." in html
    assert "Mean of 10 of 10 (Statistical neighbours to May 2025). Published average 95.2." in html
    assert "<svg" in html
    ranked = re.findall(r"<tr[^>]*><td>(\d+)</td><th scope=\"row\">([^<]+)</th>", html)
    assert ranked[0] == ("1", "Luton")
    assert len(ranked) == 11


def test_a_missing_member_is_listed_as_missing_not_as_zero(officer):
    ComparatorValue.objects.filter(authority__name="Luton").delete()
    html = officer.get(
        reverse("demand:benchmark", args=["children_in_care"]), {"year": "2024"}
    ).content.decode()
    assert "Mean of 9 of 10" in html
    assert "no figure for Luton" in html
    assert "a difference of +3.7" in html  # (952 - 62) / 9 = 98.9 against 95.2


def test_an_unknown_measure_is_404(officer):
    response = officer.get(reverse("demand:benchmark", args=["no_such_measure"]))
    assert response.status_code == 404


def test_a_bad_year_is_400_and_shows_the_default_year(officer):
    response = officer.get(
        reverse("demand:benchmark", args=["children_in_care"]), {"year": "twenty"}
    )
    assert response.status_code == 400
    assert "Showing 2024 instead" in response.content.decode()


def test_the_benchmark_page_runs_a_fixed_number_of_queries(officer, django_assert_num_queries):
    url = reverse("demand:benchmark", args=["children_in_care"])
    # 13 queries: session, user, the request's savepoint, the measure, its published
    # mapping's polarity, neighbour groups, their members, every authority's figure of every
    # year, the published averages, Sandwell's own figures, the child population, the release
    # that set the year's figures (none), the savepoint's release
    with django_assert_num_queries(13):
        officer.get(url, {"year": "2024"})


def test_the_benchmark_query_count_does_not_grow_with_more_figures(
    officer, django_assert_num_queries
):
    authorities = list(Authority.objects.filter(kind="local_authority").exclude(name="Sandwell"))
    ComparatorValue.objects.bulk_create(
        ComparatorValue(code=code, authority=a, year=year, value=Decimal(50))
        for code in ("cp_plans", "children_in_care")
        for year in (2020, 2021, 2022, 2023)
        for a in authorities
    )
    ComparatorValue.objects.bulk_create(
        ComparatorValue(code="cp_plans", authority=a, year=2024, value=Decimal(50))
        for a in authorities
    )
    # 13 queries, as the page's own year above: more figures are not more queries
    with django_assert_num_queries(13):
        officer.get(reverse("demand:benchmark", args=["cp_plans"]), {"year": "2024"})


def _years_of_comparators(code: str, years, value: Decimal) -> None:
    """Every neighbour (and every other local authority) at `value` in those years."""
    authorities = Authority.objects.filter(kind="local_authority").exclude(name="Sandwell")
    ComparatorValue.objects.bulk_create(
        ComparatorValue(code=code, authority=a, year=year, value=value)
        for year in years
        for a in authorities
    )


def test_over_time_each_year_with_comparators_has_its_rank_and_averages(demand):
    _years_of_comparators("children_in_care", (2022, 2023), Decimal(50))
    measure = selectors.benchmark_measure("children_in_care")

    bench, history = selectors.benchmark_with_history(measure, 2024)

    assert [b.year for b in history.years] == [2022, 2023, 2024]
    assert bench is history.years[-1]
    assert history.comparators == ["England"]
    # Every neighbour at 50 in 2022: Sandwell's 94.0 is March 2025's (said so), so unranked.
    first = history.years[0]
    assert (first.rank, first.group_size, first.band) == (None, 11, None)
    assert first.home.other_date == "31 March 2025"
    assert first.average.mean == Decimal("50.0")
    # England's figure is stored for 2024 only: the earlier years show none, not zero.
    assert [values for _, values in history.rows] == [[None], [None], [Decimal(70)]]
    # The year the page shows is the same whether it comes alone or with the others.
    alone = selectors.benchmark(measure, 2024)
    assert [(r.name, r.value, r.rank) for r in alone.ranked] == [
        (r.name, r.value, r.rank) for r in bench.ranked
    ]


def test_the_page_shows_sandwell_and_its_comparators_over_time(officer):
    _years_of_comparators("children_in_care", (2023,), Decimal(50))
    response = officer.get(reverse("demand:benchmark", args=["children_in_care"]), {"year": "2024"})
    html = response.content.decode()
    table = html[html.index('class="table table-sm benchmark-history"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S) for row in rows]
    texts = [[re.sub(r"<[^>]+>", "", c).split()[0] if c.strip() else "" for c in r] for r in cells]
    assert texts[0] == ["Year", "Sandwell", "Rank", "Quartile", "Neighbour", "England"]
    # Sandwell's figure of March 2025 stands in both years, with its date, and unranked.
    assert texts[1] == ["2023", "94.0", "–", "–", "50.0", "–"]
    assert texts[2] == ["2024", "94.0", "–", "–", "95.2", "70.0"]
    assert "(31 March 2025)" in table
    assert "Sandwell and its comparators over time" in html


def test_a_measure_without_comparators_has_no_benchmark_page(officer):
    response = officer.get(reverse("demand:benchmark", args=["foster_households"]))
    assert response.status_code == 404


def test_the_page_says_which_neighbours_did_not_publish_and_why(officer):
    _sandwell_published()
    ComparatorValue.objects.filter(
        code="children_in_care", year=2024, authority__name="Coventry"
    ).update(value=None, symbol="c")
    ComparatorValue.objects.filter(
        code="children_in_care", year=2024, authority__name="Luton"
    ).delete()
    html = officer.get(
        reverse("demand:benchmark", args=["children_in_care"]), {"year": "2024"}
    ).content.decode()
    assert (
        "Neighbours: 8 of 10 published; not published: Coventry: c (suppressed); "
        "Luton: no figure." in html
    )
    assert "not published: c (suppressed)" in html


def test_the_page_says_when_its_figures_were_published_and_what_the_revision_changed(
    officer, people
):
    release = ComparatorImport.objects.create(
        source=ComparatorImport.Source.STATISTICS,
        publication="Children looked after in England including adoptions",
        published_on=datetime.date(2024, 11, 14),
        user=people[Role.ADMINISTRATOR],
    )
    derby = ComparatorValue.objects.get(code="children_in_care", year=2024, authority__name="Derby")
    derby.comparator_import = release
    derby.save()
    ComparatorChange.objects.create(
        comparator_import=release,
        code="children_in_care",
        year=2024,
        authority=derby.authority,
        old_value=Decimal("98"),
        new_value=derby.value,
    )
    html = officer.get(
        reverse("demand:benchmark", args=["children_in_care"]), {"year": "2024"}
    ).content.decode()
    assert (
        "Figures published 14 November 2024 (Children looked after in England including"
        " adoptions)." in html
    )
    assert "What the latest revision changed" in html
    assert "<li>Derby: 98.0 → 100.0</li>" in html
