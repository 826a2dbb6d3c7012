"""
The portal's Word files open in another program: LibreOffice Writer converts them to PDF and
the PDF's text is the text the portal wrote (issue 18: "the Word files open in LibreOffice").
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils.html import escape

from opb_portal.boardpack import render, selectors
from opb_portal.boardpack.demo import load_demo_meetings
from opb_portal.documents import word
from opb_portal.periods import Period

from .libreoffice import pdf_of_docx, pdf_text
from .readback import all_text, headings, words

WRITTEN = datetime.datetime(2025, 3, 24, 10, 30, tzinfo=datetime.UTC)
PERSON_TEXT = "=cmd|' /C calc'!A0 {{ user }} <script>alert(1)</script>"

REPORT = f"""<!doctype html><html lang="en-GB"><head><title>Scrutiny</title></head><body>
<h1>Children's Services and Education Scrutiny Board</h1>
<h2>1 Recommendations</h2>
<ol><li>That the Board notes the Trust's performance.</li><li>That the Board comments.</li></ol>
<h2>2 Context and key issues</h2>
<p>The contract sum for 2024-25 is <strong>£80.8m</strong>, an 8.5% rise.<sup>1</sup></p>
<ul><li>Residential placements cost £6,701 a week in December 2024.</li></ul>
<table><caption>Table 1: Ofsted judgements</caption>
<thead><tr><th scope="col">Inspection</th><th scope="col">Judgement</th></tr></thead>
<tbody><tr><th scope="row">Fostering, October 2024</th><td>Good</td></tr>
<tr><th scope="row">Adoption, December 2022</th><td>Good</td></tr></tbody></table>
<ol><li>Restarted list</li></ol>
<p>Written by a person: {escape(PERSON_TEXT)}</p>
</body></html>"""


def test_libreoffice_opens_the_word_file_and_reads_back_the_same_words():
    data = word.docx_from_html(REPORT, title="Scrutiny update", created=WRITTEN)
    pdf = pdf_of_docx(data)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    # The same words, as many times each, as python-docx reads from the file we wrote (a
    # table's cells may come out of pdftotext column by column, so not in the same order)...
    written = words(all_text(data))
    read = words(text)
    assert Counter(w for w in read if w in set(written)) == Counter(written)
    # ... and nothing else but the lists' numbers and bullets (Word's bullet is the Symbol
    # font's, a private-use character).
    assert {w for w in read if w not in set(written)} <= {"1.", "2.", "\uf0b7", "•"}
    # ... with Word's list numbering drawn: each ol counts from 1.
    assert "1. That the Board notes the Trust's performance." in " ".join(read)
    assert "2. That the Board comments." in " ".join(read)
    assert "1. Restarted list" in " ".join(read)
    assert PERSON_TEXT in " ".join(read)


def test_the_demo_packs_html_becomes_a_word_file_libreoffice_opens(demo):
    """The real thing: the March 2025 pack's print HTML, charts, tables and all."""
    pack = selectors.pack_contents(Period(2025, 3), meeting=load_demo_meetings())
    html = render.pack_html(pack)
    data = word.docx_from_html(html, title="OPB board pack: March 2025", created=WRITTEN)
    found = headings(data)
    assert found[0][0] == 1
    assert len(found) >= 5
    # Every heading of the HTML is a heading of the document, in the same order.
    assert [text for _, text in found] == _html_headings(html)
    text = " ".join(words(pdf_text(pdf_of_docx(data))))
    for _, heading in found:
        assert " ".join(heading.split()) in text


def _html_headings(html: str) -> list[str]:
    """The headings a reader of the HTML meets, read with lxml (not the writer's parser)."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    hidden = "ancestor-or-self::*[@aria-hidden='true' or @hidden or contains(@class, 'no-word')]"
    return [
        " ".join(node.text_content().split())
        for node in tree.xpath("//body//*[self::h1 or self::h2 or self::h3 or self::h4]")
        if not node.xpath(hidden) and node.text_content().strip()
    ]
