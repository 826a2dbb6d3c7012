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
    ],
)
def test_the_scrutiny_update_says_the_seed_reports_figure(scrutiny, figure):
    _, _, text = scrutiny
    assert figure in text


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
