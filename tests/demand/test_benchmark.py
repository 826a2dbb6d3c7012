"""The benchmark page and API: Sandwell against its statistical neighbours."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from demand import selectors
from opb_portal.comparators.models import ComparatorValue


@pytest.fixture
def officer(client, demand, reviewer):
    client.force_login(reviewer)
    return client


def test_children_we_care_for_in_2024_set_sandwells_later_figure_beside_and_unranked(demand):
    bench = selectors.benchmark(selectors.benchmark_measure("children_in_care"), 2024)
    assert [row.name for row in bench.ranked][:5] == [
        "Stoke-on-Trent",
        "Derby",
        "Nottingham",
        "Walsall",
        "Sandwell",
    ]
    # Sandwell's March 2024 rate needs the 2023-24 child population, which is not
    # stored: the page shows March 2025's 94.0, as the review did, and says so; a rank
    # of March 2025's figure among March 2024's would compare unlike with unlike.
    assert bench.home.value == Decimal("94.0")
    assert bench.home.other_date == "31 March 2025"
    assert "no figure for 2024" in bench.home.note
    assert (bench.rank, bench.group_size, bench.quartile) == (None, 11, None)
    assert [row.rank for row in bench.ranked] == [None] * 11
    assert bench.no_rank == (
        "Sandwell's figure is for 31 March 2025, not March 2024, so it is not ranked"
        " against its neighbours' figures for March 2024."
    )


def _sandwell_published(year=2024, value="93.0"):
    ComparatorValue.objects.create(
        code="children_in_care",
        authority=selectors.Authority.objects.get(name="Sandwell"),
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
        authority=selectors.Authority.objects.get(name="Sandwell"),
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
    assert "Sandwell ranks 5 of 11 (highest first), in quartile 2 of 4" in html
    assert "Mean of 10 of 10 (Statistical neighbours to May 2025). Published average 95.2." in html
    assert "<svg" in html
    ranked = re.findall(r"<tr[^>]*><td>(\d+)</td><th scope=\"row\">([^<]+)</th>", html)
    assert ranked[0] == ("1", "Stoke-on-Trent")
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
    # 11 queries: session, user, the request's savepoint, the measure, neighbour groups,
    # their members, every authority's figure of every year, the published averages, the
    # child population, Sandwell's own figures, the savepoint's release
    with django_assert_num_queries(11):
        officer.get(url, {"year": "2024"})


def test_the_api_gives_the_benchmark_as_json(officer):
    _sandwell_published()
    response = officer.get(
        reverse("api:benchmarks"), {"measure": "children_in_care", "year": "2024"}
    )
    data = json.loads(response.content)
    assert response.status_code == 200
    assert (data["rank"], data["of"], data["quartile"]) == (5, 11, 2)
    assert data["neighbour_average"]["mean"] == 95.2
    assert data["neighbour_average"]["used"] == 10
    assert data["neighbour_average"]["published"] == 95.2
    assert data["ranked"][0] == {
        "name": "Stoke-on-Trent",
        "kind": "neighbour",
        "value": 191,
        "note": "",
        "rank": 1,
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"year": "2024"}, "measure is required", id="no-measure"),
        pytest.param({"measure": "nope", "year": "2024"}, "measure must be", id="bad-measure"),
        pytest.param({"measure": "children_in_care"}, "year is required", id="no-year"),
        pytest.param({"measure": "children_in_care", "year": "24/25"}, "year must be", id="bad"),
        pytest.param({"measure": "children_in_care", "year": "1066"}, "year must be", id="old"),
    ],
)
def test_the_api_answers_bad_input_with_400_json(officer, params, message):
    response = officer.get(reverse("api:benchmarks"), params)
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith(message)


def test_the_api_refuses_anonymous_requests(client, demand):
    response = client.get(
        reverse("api:benchmarks"), {"measure": "children_in_care", "year": "2024"}
    )
    assert response.status_code == 401


def test_the_benchmark_query_count_does_not_grow_with_more_figures(
    officer, django_assert_num_queries
):
    authorities = list(
        selectors.Authority.objects.filter(kind="local_authority").exclude(name="Sandwell")
    )
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
    with django_assert_num_queries(11):
        officer.get(reverse("demand:benchmark", args=["cp_plans"]), {"year": "2024"})


def _years_of_comparators(code: str, years, value: Decimal) -> None:
    """Every neighbour (and every other local authority) at `value` in those years."""
    authorities = selectors.Authority.objects.filter(kind="local_authority").exclude(
        name="Sandwell"
    )
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
    assert (first.rank, first.group_size, first.quartile) == (None, 11, None)
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
