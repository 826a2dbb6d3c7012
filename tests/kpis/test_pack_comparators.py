"""
The comparator store's figures under a KPI's code are lines on that KPI's chart, on its
page and in the board pack, gathered in one place (`kpis.selectors.kpi_comparators`).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kpis import pack, selectors
from kpis.models import KpiDefinition
from opb_portal.boardpack import render
from opb_portal.boardpack import selectors as pack_selectors
from opb_portal.comparators.models import Authority, ComparatorValue, YearBasis
from opb_portal.periods import Period

from ..boardpack.conftest import pdf_pages

MARCH = Period(2025, 3)
REGION_LINE = "West Midlands: 10.4% (2023-24)"
AVERAGE_LINE = "Statistical neighbour average: 10.2% (2023-24, mean of 2 of 10)"
PUBLISHED_LINE = "Statistical neighbour average (published): 9.8% (2023-24)"


@pytest.fixture
def pi8_benchmarks(demo):
    """PI8 (amber in March 2025) benchmarked for 2023-24: two neighbours' figures and a
    revised West Midlands figure beside the published average and England's 10."""
    for name, value in (("West Midlands", "10.4"), ("Walsall", "9.1"), ("Coventry", "11.3")):
        ComparatorValue.objects.update_or_create(
            code="PI8",
            authority=Authority.objects.get(name=name),
            year=2024,
            defaults={
                "value": Decimal(value),
                "source": "Test figures",
                "year_basis": YearBasis.FINANCIAL_YEAR,
            },
        )


def _written(kpi: KpiDefinition, lines) -> list[str]:
    """Each comparator as the KPI page and the pack write it."""
    return [f"{c.get_kind_display()}: {kpi.format_value(c.value)} ({c.refers_to})" for c in lines]


def _svg_text(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", str(svg))


def test_the_kpi_page_chart_draws_the_demand_comparators(pi8_benchmarks, client, reviewer):
    client.force_login(reviewer)
    response = client.get("/kpis/2024/PI8/")
    wide = str(response.context["chart"]).split('<div class="chart-narrow">')[0]
    labels = _svg_text(wide)
    assert REGION_LINE in labels
    assert AVERAGE_LINE in labels
    # The published average differs from the mean worked out: both are shown. One store
    # holds one England figure, so it is drawn once.
    assert PUBLISHED_LINE in labels
    assert labels.count("England: 10.0% (2023-24)") == 1
    assert REGION_LINE in response.content.decode()


def test_the_pack_page_chart_draws_the_same_comparators(pi8_benchmarks):
    pages = {page.row.kpi.code: page for page in pack.build_pages(MARCH)["pages"]}
    labels = _svg_text(pages["PI8"].chart)
    assert REGION_LINE in labels
    assert AVERAGE_LINE in labels
    assert labels.count("England: 10.0% (2023-24)") == 1


def test_the_pack_text_shows_the_comparator_label_and_value(pi8_benchmarks):
    pages = pdf_pages(render.render_pack(pack_selectors.pack_contents(MARCH)).pdf)
    pi8 = next(
        page for page in pages if re.search(r"^\s*PI8 ", page, re.M) and "commentary" in page
    )
    text = " ".join(pi8.split())
    assert REGION_LINE in text
    assert AVERAGE_LINE in text


def test_comparators_are_those_published_by_the_last_month_shown(pi8_benchmarks):
    kpi = KpiDefinition.objects.get(framework__code="2024", code="PI8")
    before = selectors.kpi_comparators([kpi], until=Period(2024, 2))[kpi.pk]
    after = selectors.kpi_comparators([kpi], until=Period(2024, 3))[kpi.pk]
    assert REGION_LINE not in _written(kpi, before)
    assert REGION_LINE in _written(kpi, after)


def test_a_kpis_comparators_are_read_from_the_store_in_one_query(demo, django_assert_num_queries):
    kpi = KpiDefinition.objects.get(framework__code="2024", code="PI8")
    # 1 query: the comparator values and the published averages under the KPI's code
    with django_assert_num_queries(1):
        found = selectors.kpi_comparators([kpi], until=MARCH)[kpi.pk]
    assert _written(kpi, found) == [
        PUBLISHED_LINE,
        "West Midlands: 10.0% (2023-24)",
        "England: 10.0% (2023-24)",
    ]


def test_the_kpi_page_and_the_pack_page_write_the_benchmarks_in_one_sentence(
    pi8_benchmarks, client, reviewer
):
    ComparatorValue.objects.create(
        code="PI8",
        authority=Authority.objects.get(name="Sandwell"),
        year=2024,
        value=Decimal("9.7"),
        source="Test figures",
        year_basis=YearBasis.FINANCIAL_YEAR,
    )
    ComparatorValue.objects.filter(code="PI8", authority__name="England").update(
        source="DfE, children looked after"
    )
    # Sandwell's published figure, the mean of Walsall's 9.1 and Coventry's 11.3, England's
    # as published; cited by England's source (the file's National row) and the year.
    sentence = (
        "Sandwell 9.7%, neighbours 10.2% (2 of 10), England 10.0%"
        " (DfE, children looked after, year to 31 March 2024)"
    )
    client.force_login(reviewer)
    assert (
        f'<span id="compared">{sentence}</span>' in client.get("/kpis/2024/PI8/").content.decode()
    )
    pages = {page.row.kpi.code: page for page in pack.build_pages(MARCH)["pages"]}
    assert pages["PI8"].compared == sentence
