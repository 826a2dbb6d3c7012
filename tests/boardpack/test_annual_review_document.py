"""
The whole annual review as a document: the Executive Summary drafted from the facts in the
published review's words (seed 001), each figure with a numbered note to its source; the
Introduction's (a)-(k) table; a Source for each part; section (k); and the Word document,
read back with python-docx and opened by LibreOffice, saying the same.
"""

from __future__ import annotations

import datetime
import re

import pytest

from opb_portal.accounts.models import User
from opb_portal.boardpack import front, render, selectors
from opb_portal.boardpack.templatetags.annual_review import footnoted
from opb_portal.periods import FinancialYear
from opb_portal.reports.facts import Fact

from ..documents.libreoffice import pdf_of_docx, pdf_text
from ..documents.readback import all_text, headings

YEAR = FinancialYear(2024)
MARKERS = re.compile(r"\[\d+\]")

# The published review's own sentences (seed 001), as the demonstration's figures draft them.
SEED_SENTENCES = [
    pytest.param(
        "As of 31 March 2025, there were 816 children we care for, with 353 children subject to "
        "a Child Protection Plan, 677 Children in Need, 546 children open to Strengthening "
        "Families and 390 Care Experienced young people aged 18-25.",
        id="children",
    ),
    pytest.param(
        "The rate per 10,000 of children we care for currently stands at 94.0, below "
        "statistical neighbour average (95.2 per 10,000).",
        id="rate",
    ),
    pytest.param(
        "As of 31 March 2025, the Trust met 10 of our KPI targets, a further 5 are within the "
        "contract tolerance and no indicators within failure zone.",
        id="kpis",
    ),
    pytest.param(
        "The basic contract sum for 2024/25 was £80.80m, an increase of £6.325m or "
        "approximately 8.5% on the year before.",
        id="contract-sum",
    ),
    pytest.param(
        "Income totalling £90.42m was received for 2024/25, expenditure was £99.21m, resulting "
        "in a provisional deficit of £8.79m.",
        id="outturn",
    ),
    pytest.param(
        "With an opening deficit of £10.92m, the cumulative deficit is £19.71m at year end.",
        id="cumulative-deficit",
    ),
    pytest.param("the permanent vacancy rate was 23.9%", id="permanent-vacancies"),
]


@pytest.mark.parametrize("sentence", SEED_SENTENCES)
def test_the_executive_summary_says_the_published_figures(demo, sentence):
    drafted = front.summary(YEAR)
    assert sentence in MARKERS.sub("", drafted.text)


def test_each_figure_of_the_summary_has_a_note_with_its_source_and_page(demo, client):
    drafted = front.summary(YEAR)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", drafted.text)]
    assert sorted(set(markers)) == list(range(1, len(drafted.notes) + 1))
    assert all(fact.source and fact.url for fact in drafted.notes)
    client.force_login(User.objects.get(username="reviewer"))
    html = client.get("/annual-review/2024-25/").content.decode()
    assert '816<sup><a href="#note-1">1</a></sup> children we care for' in html
    assert '<li id="note-1">' in html


def test_a_missing_fact_leaves_its_words_out(monkeypatch):
    given = {
        "demand.children_in_care": Fact("demand.children_in_care", "Children we care for", "816"),
        "kpis.red": Fact("kpis.red", "KPIs red", "2", illustrative=True),
    }
    monkeypatch.setattr(front, "facts_on", lambda day: given)
    drafted = front.summary(YEAR)
    assert drafted.text == (
        "As of 31 March 2025, there were 816[1] children we care for.\n\n"
        "As of 31 March 2025, 2[2] are within the failure zone."
    )
    assert "None" not in drafted.text
    assert drafted.illustrative == "the figure of note 2."


def test_no_facts_at_all_asks_for_the_summary_to_be_written(monkeypatch):
    monkeypatch.setattr(front, "facts_on", lambda day: {})
    assert front.summary_draft(YEAR).startswith("The portal holds no figures for this year")


def test_a_person_may_not_write_markup_through_a_note_marker():
    html = footnoted("<b>816</b>[1] and [9]\n\n<script>x</script>", ["one"])
    assert html == (
        '<p>&lt;b&gt;816&lt;/b&gt;<sup><a href="#note-1">1</a></sup> and [9]</p>\n'
        "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_the_review_has_its_front_introduction_sources_and_section_k(demo):
    review = selectors.annual_review(YEAR)
    assert [p.section.key for p in review.front_parts] == ["executive-summary"]
    last = review.lettered_parts[-1]
    assert (last.letter_label, last.short_title) == (
        "Section (k)",
        "Such other matters that the Parties may agree from time to time",
    )
    assert last.narrative.text == front.NO_OTHER_MATTERS
    sources = {p.section.key: p.source_url for p in review.parts}
    assert sources["kpi-scorecard"].startswith("/kpis/")
    assert sources["other-matters"] == ""


def review_time():
    return datetime.datetime(2025, 5, 1, 9, 0, tzinfo=datetime.UTC)


def fragments(text: str) -> list[str]:
    """The summary's words between its note markers (a marker becomes a superscript number)."""
    return [" ".join(piece.split()) for piece in MARKERS.split(text) if piece.strip()]


def test_the_word_document_has_every_section_and_the_summary(demo):
    review = selectors.annual_review(YEAR)
    data = render.annual_docx(review, review_time())
    titles = [text for _, text in headings(data)]
    for part in review.lettered_parts:
        assert part.section.annual_title in titles
    assert titles[-1] == front.OTHER_MATTERS_TITLE
    assert titles.index("Executive Summary") < titles.index("Introduction")
    text = " ".join(all_text(data).split())
    for words in fragments(front.summary(YEAR).text):
        assert words in text
    assert "There are no additional matters in this report that have been agreed" in text
    assert "Illustrative demonstration figures" in text
    assert "This review contains illustrative demonstration figures" in text
    assert "Source: http" in text


def test_libreoffice_opens_the_word_document_and_reads_the_same_sentences(demo):
    review = selectors.annual_review(YEAR)
    data = render.annual_docx(review, review_time())
    text = " ".join(pdf_text(pdf_of_docx(data)).split())
    for words in [
        "Executive Summary",
        "Section (k) Such other matters that the Parties may agree from time to time",
        "There are no additional matters in this report that have been agreed by both parties",
        *fragments(front.summary(YEAR).text),
    ]:
        assert words in text
