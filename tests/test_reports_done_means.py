"""
Issue 18's "done means", on the PostgreSQL demonstration: the Scrutiny Board update dated
24 March 2025 says the seed report's figures (seed 000), in its layout, as a page, a PDF and
a Word file that LibreOffice opens and reads back with the same text.

Where the seeds disagree (December 2024's agency share: 16.3% in the Scrutiny report, 16.4%
in the annual review's table), the report says the portal's figure and a note says so.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from opb_portal.reports import render, selectors
from opb_portal.reports.models import Kind, Report
from tests.documents import libreoffice, readback

MEETING = datetime.date(2025, 3, 24)


@pytest.fixture
def scrutiny(demo):
    report = Report.objects.get(kind=Kind.SCRUTINY, meeting_date=MEETING)
    document = selectors.report_document(report)
    html = render.print_html(document)
    return report, document, _text(html)


def _text(html: str) -> str:
    """The words of the HTML, tags and runs of white space aside."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text)


def test_the_demo_holds_the_scrutiny_update_of_24_march_2025_with_figures_at_31_december(
    scrutiny,
):
    report, document, _ = scrutiny
    assert report.figures_at == datetime.date(2024, 12, 31)
    assert document.warnings == []
    headings = [section.heading for section in document.sections]
    assert headings[:4] == [
        "1 Recommendations",
        "2 Reasons for Recommendations",
        "3 How does this deliver objectives of the Council Plan?",
        "4 Context and Key Issues",
    ]


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param("£80.80m", id="contract-sum"),
        pytest.param("£6.325m", id="rise-in-pounds"),
        pytest.param("8.5%", id="rise-in-percent"),
        pytest.param("£6,508", id="residential-weekly-cost-march-2024"),
        pytest.param("£6,701", id="residential-weekly-cost-december-2024"),
        pytest.param("16.4%", id="agency-share-the-portals-figure"),
        pytest.param("7.2%", id="vacancy-rate-december-2024"),
        pytest.param("Requires Improvement to be Good (2022)", id="ofsted-ilacs"),
        pytest.param("Good (December 2022)", id="ofsted-adoption"),
        pytest.param("Good (October 2024)", id="ofsted-fostering"),
    ],
)
def test_the_scrutiny_update_says_the_seed_reports_figure(scrutiny, figure):
    _, _, text = scrutiny
    assert figure in text


def test_the_scrutiny_update_counts_seven_monitoring_and_three_focused_visits(scrutiny):
    _, _, text = scrutiny
    # Each count is followed by its note's number (and marked: some visits' dates are made up).
    marked = r"(?:\(illustrative\) )?\d+"
    assert re.search(rf"\b7 {marked} monitoring visits and 3 {marked} focused visits", text)


def test_the_agency_share_carries_a_note_that_the_scrutiny_report_said_16_3_percent(scrutiny):
    _, document, text = scrutiny
    notes = [note for note in document.notes if "16.3%" in _text(str(note))]
    assert notes, "no note names the Scrutiny report's 16.3%"
    assert "16.3%" in text


def test_the_scrutiny_update_pdf_has_the_same_figures(scrutiny):
    _, document, text = scrutiny
    rendered = render.report_pdf(
        document, generated_at=datetime.datetime(2025, 3, 10, tzinfo=datetime.UTC)
    )
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    for figure in ("£80.80m", "8.5%", "£6,701", "16.4%"):
        assert figure in pdf_text


def test_the_scrutiny_update_in_word_reads_back_with_the_same_text_in_libreoffice(scrutiny):
    _, document, _ = scrutiny
    data = render.report_docx(document)
    text = libreoffice.text_of_docx(data)
    through_libreoffice, words = _squeezed(text), set(text.split())
    paragraphs, cells = [], []
    for kind, content in readback.blocks(data):
        if kind == "table":
            cells += [" ".join(cell.split()) for row in content for cell in row if cell.strip()]
        elif content.strip():
            paragraphs.append(" ".join(content.split()))
    assert len(paragraphs) > 30
    assert len(cells) > 10
    # A paragraph comes back whole, compared without spaces and hyphens (a PDF's lines break
    # where Writer wrapped them); a table's cell word by word (a cell may cross a page).
    assert [p for p in paragraphs if _squeezed(p) not in through_libreoffice] == []
    assert [c for c in cells if not set(c.split()) <= words] == []
    pieces = paragraphs + cells
    for figure in ("£80.80m", "8.5%", "£6,701", "16.4%", "1 Recommendations"):
        assert figure in " ".join(pieces)


# --- the annual review of 2024-25, whole ------------------------------------------------------

SECTION_TITLES = [
    pytest.param("a", "Section (a) The Improvement Plan", id="a"),
    pytest.param("b", "Section (b) The Trust's performance of the Services", id="b"),
    pytest.param("c", "Section (c) The thematic findings of any Audits and Surveys", id="c"),
    pytest.param("d", "Section (d) The outcome of any Ofsted monitoring visits", id="d"),
    pytest.param("e", "Section (e) The Trust's performance against budgets", id="e"),
    pytest.param("f", "Section (f) Demand analysis", id="f"),
    pytest.param("g", "Section (g) The outcome of any Agreed Action Plan", id="g"),
    pytest.param("h", "Section (h) Any Changes to the Agreement", id="h"),
    pytest.param("i", "Section (i) Any proposed changes to the Services Specification", id="i"),
    pytest.param("j", "Section (j) The contractual governance arrangements", id="j"),
    pytest.param("k", "Section (k) Such other matters", id="k"),
]


@pytest.fixture
def annual(demo):
    from opb_portal.boardpack import render as pack_render
    from opb_portal.boardpack import selectors as pack_selectors
    from opb_portal.periods import FinancialYear

    review = pack_selectors.annual_review(FinancialYear(2024))
    written = datetime.datetime(2025, 7, 1, 9, 0, tzinfo=datetime.UTC)
    return review, _text(pack_render.annual_html(review, written)), pack_render, written


@pytest.mark.parametrize(("letter", "title"), SECTION_TITLES)
def test_the_annual_review_of_2024_25_has_every_section_of_the_contract(annual, letter, title):
    review, text, _, _ = annual
    assert letter in {part.section.annual_letter for part in review.parts}
    assert title.lower() in text.lower()


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param("Priority 1", id="a-the-first-priority"),
        pytest.param("88.5% in November 2024 to 97.1% in May 2025", id="c-practice-review"),
        pytest.param("86.4% in March 2025", id="b-pi1-highest"),
        pytest.param("816", id="summary-children-we-care-for"),
        pytest.param("390", id="f-care-experienced"),
        pytest.param("There are no additional matters", id="k-none"),
    ],
)
def test_the_annual_review_says_the_published_figure(annual, figure):
    _, text, _, _ = annual
    assert figure in text


def test_the_annual_review_in_word_has_every_section_heading_and_libreoffice_reads_it(annual):
    review, _, pack_render, written = annual
    data = pack_render.annual_docx(review, written)
    headings = " ".join(text for _, text in readback.headings(data))
    for letter in "abcdefghijk":
        assert f"Section ({letter})" in headings
    through_libreoffice = _squeezed(libreoffice.text_of_docx(data))
    for letter in "abcdefghijk":
        assert _squeezed(f"Section ({letter})") in through_libreoffice


def test_section_d_tracks_a_recommendation_of_the_fostering_inspection_to_its_action(annual):
    _, text, _, _ = annual
    assert "Agree an out of hours service with foster carers" in text
