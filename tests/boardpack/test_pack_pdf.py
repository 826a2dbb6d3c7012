"""The March 2025 board pack read back from its PDF, as a board member would read it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kpis import selectors as kpi_selectors
from opb_portal.boardpack import render, selectors
from opb_portal.boardpack.render import DRAFT_BAND

from .conftest import APRIL, MARCH, page_headed, pdf_pages, submitted_return

CONTENTS_ENTRY = re.compile(r"(\S.*?)\s*\.{3,}\s*(\d+)\s*$")


def _render(period, meeting=None):
    pack = selectors.pack_contents(period, meeting=meeting)
    return pack, render.render_pack(pack)


@pytest.fixture
def march(demo_march_pack):
    """The demonstration's March 2025 pack, rendered once for the run."""
    return demo_march_pack.built, demo_march_pack.rendered, demo_march_pack.pages


def _contents(pages: list[str]) -> list[tuple[str, int]]:
    """(title, page) of every contents entry; a title that wraps is joined to its number."""
    text = next(page for page in pages if re.search(r"^\s*Contents\s*$", page, re.M))
    entries, pending = [], ""
    for line in text.splitlines()[1:]:
        line = line.strip()
        if not line or line == "Contents":
            continue
        match = CONTENTS_ENTRY.match(f"{pending} {line}".strip())
        if match:
            entries.append((match[1], int(match[2])))
            pending = ""
        else:
            pending = f"{pending} {line}".strip()
    return entries


def _kpi_page(pages: list[str], code: str) -> str:
    return next(
        page
        for page in pages
        if re.search(rf"^\s*{code} ", page, re.M) and "The Trust's commentary" in page
    )


def test_the_march_2025_pack_numbers_every_page_n_of_m(march):
    _, rendered, pages = march
    assert rendered.pages == len(pages) == len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    # KPIs, finance, workforce, demand (two pages of charts) and the appendices.
    assert 8 <= rendered.pages <= 24
    # The cover carries no running header; every other page does.
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {rendered.pages}" in text
        assert "OPB board pack · March 2025" in text


def test_the_cover_names_the_partnership_meeting_month_issue_and_date(march):
    pack, _, pages = march
    cover = pages[0]
    assert "Sandwell Council and Sandwell Children's Trust" in cover
    assert "Thursday 17 April 2025" in cover
    assert "Reporting month: March 2025" in cover
    assert "Preview, not issued" in cover
    assert f"{pack.generated_at:%Y}" in cover


def test_the_contents_page_numbers_are_where_the_sections_start(march):
    pack, _, pages = march
    entries = _contents(pages)
    titles = [title for title, _ in entries]
    assert titles[0] == "Summary: where the contract stands"
    assert "KPI scorecard" in titles
    assert titles[-1] == "Appendix: sources of the figures"
    # One entry per red or amber KPI page: five in March 2025.
    assert [t.split(" ")[0] for t in titles if t.startswith("PI")] == [
        "PI2",
        "PI8",
        "PI9",
        "PI11",
        "PI13",
    ]
    for title, number in entries:
        page = pages[number - 1]
        if title.startswith("PI"):
            code = title.split(" ")[0]
            # The KPI's page opens with its code and title as the heading.
            assert re.search(rf"^\s*{code} ", page, re.M), (title, number)
        else:
            heading = title.split(":")[0] if title.startswith("Appendix") else title
            assert heading in page, (title, number)
            assert heading not in pages[number - 2] or number - 2 == 1, (title, number)


def test_every_kpi_code_and_its_march_2025_value_is_on_the_scorecard_page(march):
    _, _, pages = march
    scorecard_page = page_headed(pages, "KPI scorecard")
    card = kpi_selectors.scorecard(MARCH)
    assert len(card.rows) == 15
    for row in card.rows:
        assert re.search(rf"\b{row.kpi.code}\b", scorecard_page), row.kpi.code
        assert str(row.month.number) in scorecard_page, (row.kpi.code, row.month.number)


def test_the_summary_leads_with_the_counts_and_what_changed(march):
    _, _, pages = march
    summary = page_headed(pages, "Summary: where the contract stands")
    assert re.search(r"10\s+5\s+0", summary)
    assert "+1 on February 2025 (9)" in summary
    assert "Contract exceptions" in summary
    assert "Changed colour since February 2025" in summary
    assert "PI1, PI2, PI7" in summary


def test_each_amber_kpi_page_has_its_chart_comparators_and_twelve_months(march):
    _, _, pages = march
    pi8 = _kpi_page(pages, "PI8")
    assert "Statistical neighbour average (published): 9.8% (2023-24)" in pi8
    assert "Mar-25" in pi8
    assert "Apr-24" in pi8
    assert "The Trust's commentary" in pi8
    assert "Reviewers' comments and the Trust's answers" in pi8


def test_charts_and_sparklines_are_vector_not_images(march):
    _, rendered, _ = march
    reader = PdfReader(io.BytesIO(rendered.pdf))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 0


def test_the_fonts_are_embedded(march):
    _, rendered, _ = march
    reader = PdfReader(io.BytesIO(rendered.pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or (font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            descriptor = descriptor.get_object()
            fonts.add(
                (
                    str(descriptor["/FontName"]),
                    any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")),
                )
            )
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts


@pytest.mark.parametrize(
    ("case", "period", "draft"),
    [
        pytest.param("approved", MARCH, False, id="approved-month-no-band"),
        pytest.param("submitted", APRIL, True, id="submitted-not-approved-band"),
        pytest.param("missing", APRIL, True, id="no-return-band"),
        pytest.param("correction", MARCH, True, id="correction-under-review-band"),
    ],
)
def test_the_draft_band_is_on_every_page_exactly_when_figures_are_not_approved(
    demo, case, period, draft
):
    if case == "submitted":
        submitted_return(APRIL, changes={"PI1": "71.0"})
    elif case == "correction":
        submitted_return(MARCH, changes={"PI1": "84.2"})
    pack, rendered = _render(period)
    pages = pdf_pages(rendered.pdf)
    assert pack.draft is draft
    assert [DRAFT_BAND in page for page in pages] == [draft] * len(pages)
    assert all(
        page.count(DRAFT_BAND) <= (2 if number == 0 else 1) for number, page in enumerate(pages)
    )


def test_a_draft_shows_the_figures_sent_for_approval_marked_as_such(demo):
    submitted_return(APRIL, changes={"PI1": "71.0"})
    pack, rendered = _render(APRIL)
    text = "\n".join(pdf_pages(rendered.pdf))
    assert "KPI return for April 2025: submitted, not yet approved" in text
    assert "71.0%" in text
    assert "Not yet approved" in text


def test_a_trust_draft_is_never_shown_in_a_pack(demo):
    ret = submitted_return(APRIL, changes={"PI1": "71.0"})
    ret.status = ret.Status.DRAFT
    ret.save(update_fields=["status"])
    pack, rendered = _render(APRIL)
    text = "\n".join(pdf_pages(rendered.pdf))
    assert pack.draft
    assert "71.0%" not in text
    assert "KPI return for April 2025: draft, not yet approved" in text


def test_every_registered_sections_summary_lines_and_title_are_in_the_pdf(march):
    # Whatever is registered (the KPIs now; finance and workforce once their apps register),
    # each headline figure and each section heading reaches the paper as the section gave it.
    pack, _, pages = march
    summary = " ".join(page_headed(pages, "Summary: where the contract stands").split())
    for title, items in pack.headlines:
        assert title in summary
        for item in items:
            assert " ".join(item.value.split()) in summary, (title, item)
    text = "\n".join(pages)
    for part in pack.parts:
        assert part.section.title in text
