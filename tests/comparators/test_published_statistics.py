"""The published statistics page: every code's latest year benchmarked, for every reader."""

import pytest
from django.urls import reverse

from opb_portal.accounts.models import Role
from opb_portal.comparators import benchmarks

from . import store


@pytest.fixture
def reader(client, people):
    client.force_login(people[Role.BOARD_MEMBER])
    return client


def test_each_code_shows_its_latest_year_with_sandwell_the_mean_england_and_the_ranks(db, reader):
    authorities = store.build()
    store.figures(authorities, 2023, {"Sandwell": "50", "N03": "40", "N04": "60"})
    store.figures(authorities, 2024, store.YEAR_2024)

    (row,) = benchmarks.published_statistics()
    html = reader.get(reverse("comparators:published")).content.decode()

    assert (row.benchmark.year, row.title, row.url) == (2024, store.CODE, "")
    assert (
        '<td class="text-end">94</td><td class="text-end">90 <span class="small text-muted">'
        '(8 of 10)</span></td><td class="text-end">70</td><td>4 of 9 (highest first)</td>'
        "<td>5th of 12</td><td>B</td><td>DfE, children looked after</td>" in html
    )


def test_a_demand_measure_links_to_its_benchmark_page(demo, reader):
    html = reader.get(reverse("comparators:published")).content.decode()
    assert '<a href="/benchmarks/children_in_care/">Children we care for</a>' in html


def test_the_page_runs_a_fixed_number_of_queries(demo, reader, django_assert_num_queries):
    # 12 queries: session, user, savepoint, every code's latest year's figures with their
    # authorities, the neighbour groups, their members, those years' published averages,
    # the polarities, the demand measures, the KPIs, the published measures (titles and
    # pages), the savepoint's release
    with django_assert_num_queries(12):
        reader.get(reverse("comparators:published"))
