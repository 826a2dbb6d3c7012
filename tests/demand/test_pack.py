"""
The demand page of the board pack and its part of section (f) of the annual review,
read back from the PDF as a board member would read them.
"""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.template.loader import render_to_string
from PIL import Image
from pypdf import PdfReader

from demand import pack
from demand.models import MeasureValue
from opb_portal.boardpack import render, sections, selectors
from opb_portal.boardpack.demo import load_demo_meetings
from opb_portal.submissions.models import ReturnVersion

from ..boardpack.conftest import ARTIFACTS, MARCH, flat, page_headed

TITLE = "Demand: children, placements and how Sandwell compares"
CONTENTS_ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", re.M)


@pytest.fixture
def meeting(demand):
    return load_demo_meetings()


@pytest.fixture
def march(demo_march_pack):
    """The demonstration's March 2025 pack, rendered once for the run (tests/conftest.py)."""
    return demo_march_pack.rendered, demo_march_pack.pages


def _demand_pages(pages: list[str]) -> range:
    """The indexes of the pages from the demand heading up to the next section's."""
    in_pack = sections.pack_sections()
    keys = [s.key for s in in_pack]
    following = in_pack[keys.index("demand") + 1].title
    return range(pages.index(page_headed(pages, TITLE)), pages.index(page_headed(pages, following)))


# --- registration -----------------------------------------------------------------------------


def test_the_app_registers_the_demand_section_after_the_kpi_finance_and_workforce_pages():
    keys = [s.key for s in sections.all_sections()]
    assert keys.index("kpi-attention") < keys.index("workforce") < keys.index("demand")
    assert keys.index("demand") < keys.index("kpi-definitions")
    (section,) = [s for s in sections.all_sections() if s.key == "demand"]
    assert (section.title, section.order, section.template) == (
        TITLE,
        400,
        "boardpack/demand/pack.html",
    )


def test_issuing_a_pack_does_not_wait_for_an_activity_return():
    (section,) = [s for s in sections.all_sections() if s.key == "demand"]
    assert not section.domain
    assert sections.domains() == ["kpis", "finance", "workforce"]


# --- the page and the summary --------------------------------------------------------------------


def test_the_page_shows_the_years_rates_and_their_comparators(demand):
    html = flat(render_to_string("boardpack/demand/pack.html", pack.build(MARCH)))
    assert 'Children we care for (31 March 2025)</th><td class="num">816</td>' in html
    assert 'Referrals (2024-25)</th><td class="num">3,728</td>' in html
    assert "Child population 0-17 in 2024-25: 86,835" in html
    # Issue 16: the comparators in one sentence, citing the source and the year.
    assert (
        "neighbours 95.2 (10 of 10), England 70.0 (Annual review 2024-25, section (f),"
        " year to 31 March 2024)" in html
    )
    # The rate charts of the three benchmarked measures, then the two trend charts; a
    # measure with a rate in one year only is a sentence, not a chart of one bar.
    assert html.count("<svg") == 3
    assert html.count('class="chart-sentence"') == 2


def test_the_headline_gives_children_we_care_for_with_the_rate_and_how_it_compares(demand):
    (item,) = pack.headline(MARCH)
    assert (item.label, item.value) == ("Children we care for", "816 (94.0 per 10,000)")
    assert (
        item.note
        == "31 March 2025; Statistical neighbour average: 95.2, England: 70.0 (March 2024)"
    )
    assert item.status is None  # no local target: a count, not a judgement


def test_the_sources_are_the_activity_return_versions_behind_the_figures(demand):
    version = ReturnVersion.objects.order_by("pk").first()
    MeasureValue.objects.filter(measure__code="children_in_care", period=MARCH.first_day).update(
        version=version
    )
    assert pack.sources(MARCH) == {version.pk}


def test_published_figures_have_no_return_version_to_list(demand):
    assert pack.sources(MARCH) == set()


# --- the PDF -----------------------------------------------------------------------------------


def test_the_pdf_page_shows_the_published_figures_and_the_comparators(march):
    rendered, pages = march
    reader = PdfReader(io.BytesIO(rendered.pdf))
    text = flat("\n".join(reader.pages[index].extract_text() for index in _demand_pages(pages)))
    assert "Children we care for (31 March 2025) 816 94.0" in text
    assert "86,835" in text
    assert "Children on a child protection plan (31 March 2025) 353 40.7" in text
    # The comparators in one sentence beside each rate (issue 16), and the rate charts'
    # lines as the charts label them.
    assert "neighbours 95.2 (10 of 10), England 70.0 (Annual review 2024-25" in text
    assert "England: 518.3 (March 2025)" in text
    # The summary stays one page with the demand line on it.
    summary = flat(page_headed(pages, "Summary: where the contract stands"))
    assert "Demand Children we care for 816 (94.0 per 10,000)" in summary


def test_the_contents_give_the_page_the_demand_section_starts_on(march):
    _, pages = march
    contents = next(page for page in pages if re.search(r"^\s*Contents\s*$", page, re.M))
    entries = {title: int(number) for title, number in CONTENTS_ENTRY.findall(contents)}
    assert pages[entries[TITLE] - 1] == page_headed(pages, TITLE)


def test_the_demand_pages_add_exactly_their_own_pages_to_the_pack(meeting, march):
    rendered, pages = march
    own = len(_demand_pages(pages))
    saved = sections._SECTIONS.pop("demand")
    try:
        without = render.render_pack(selectors.pack_contents(MARCH, meeting=meeting))
    finally:
        sections.register(saved)
    assert own >= 1
    assert rendered.pages == without.pages + own


def test_the_demand_page_rasterises_to_a_picture_that_is_not_blank(march):
    rendered, pages = march
    first = _demand_pages(pages)[0] + 1
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "board-pack-2025-03-demand.pdf"
    path.write_bytes(rendered.pdf)
    stem = ARTIFACTS / "board-pack-2025-03-demand"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(first), "-l", str(first)]
        + [str(path), str(stem)],
        check=True,
    )
    picture = Image.open(f"{stem}.png").convert("L")
    dark = sum(1 for value in picture.tobytes() if value < 200)
    # Text, tables and charts: far more than a page with only its running header.
    assert dark / (picture.width * picture.height) > 0.02


# --- the annual review --------------------------------------------------------------------------


def test_section_f_gives_demand_against_the_budgets_assumptions(demo_annual_review):
    review = demo_annual_review.built
    # After the workforce's part of section (f), before the care experienced young people.
    section_f = [part.section.key for part in review.parts if part.section.annual_letter == "f"]
    assert section_f == ["workforce", "demand", "care-experienced"]
    text = flat("\n".join(demo_annual_review.pages))
    assert "Section (f) Demand analysis against assumptions and models: children's services" in text
    assert "Children we care for 767 901 874 888 844 802 808 816" in text
    assert "from a child population of 86,835" in text
    assert "Demand against the budget's assumptions" in text
    assert "Children in residential placements 62 79 +17" in text
    assert "Over a full year of 52 weeks: £6,738,992" in text
