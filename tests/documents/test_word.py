"""
The one Word writer (opb_portal.documents.word): the portal's HTML as a Word document with
Word's own headings, paragraphs, lists and tables, whose text is only ever text.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from docx.oxml.ns import qn

from opb_portal.documents import word

from .readback import all_text, blocks, document, headings

WRITTEN = datetime.datetime(2025, 3, 24, 10, 30, tzinfo=datetime.UTC)


def write(html: str, **options) -> bytes:
    return word.docx_from_html(
        html, title=options.pop("title", "A report"), created=WRITTEN, **options
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            "<h1>Annual review</h1><h2>(a) The plan</h2><h3>Priority 1</h3><h4>Action 1.1</h4>",
            [
                ("Heading 1", "Annual review"),
                ("Heading 2", "(a) The plan"),
                ("Heading 3", "Priority 1"),
                ("Heading 4", "Action 1.1"),
            ],
            id="headings-with-their-levels",
        ),
        pytest.param(
            "<p>  The Trust\n   met <strong>10</strong> of its\ttargets. </p><p>Second</p>",
            [("Normal", "The Trust met 10 of its targets."), ("Normal", "Second")],
            id="paragraphs-with-whitespace-collapsed",
        ),
        pytest.param(
            "<p>£80.8m\u00a0contract sum</p>",
            [("Normal", "£80.8m\u00a0contract sum")],
            id="a-no-break-space-stays",
        ),
        pytest.param(
            "<p>First line <br> second line<br/></p>",
            [("Normal", "First line\nsecond line")],
            id="a-line-break",
        ),
        pytest.param(
            "<p>One<p>Two<div>Three</div>",
            [("Normal", "One"), ("Normal", "Two"), ("Normal", "Three")],
            id="paragraphs-left-open",
        ),
        pytest.param(
            "<ul><li>Care leavers</li><li>In touch<ul><li>Aged 19 to 21</li></ul></li></ul>"
            "<ol><li>Recommend</li><li>Note</ol>",
            [
                ("List Bullet", "Care leavers"),
                ("List Bullet", "In touch"),
                ("List Bullet 2", "Aged 19 to 21"),
                ("List Number", "Recommend"),
                ("List Number", "Note"),
            ],
            id="lists-and-a-nested-list",
        ),
        pytest.param(
            "<ol><li><p>Scrutiny notes the report.</p><p>It asks for more.</p></li></ol>",
            [("List Number", "Scrutiny notes the report."), ("List Continue", "It asks for more.")],
            id="a-list-item-of-two-paragraphs",
        ),
        pytest.param(
            "<table><caption>Table 1: agency social workers</caption>"
            "<thead><tr><th scope='col'>Month</th><th scope='col'>Share</th></tr></thead>"
            "<tbody><tr><th scope='row'>December 2024</th><td>16.4%</td></tr>"
            "<tr><td colspan='2'>Source: the workforce return</td></tr></tbody></table>",
            [
                ("Caption", "Table 1: agency social workers"),
                (
                    "table",
                    [
                        ["Month", "Share"],
                        ["December 2024", "16.4%"],
                        ["Source: the workforce return", "Source: the workforce return"],
                    ],
                ),
            ],
            id="a-table-with-caption-header-and-merged-cell",
        ),
        pytest.param(
            "<table><tr><td rowspan='2'>Fostering</td><td>Good</td></tr>"
            "<tr><td>2024</td></tr></table>",
            [("table", [["Fostering", "Good"], ["Fostering", "2024"]])],
            id="a-cell-spanning-two-rows",
        ),
        pytest.param(
            "<div><section><article><header>Head</header><main><figure>"
            "<figcaption>Figure 1</figcaption></figure></main><footer>Foot</footer></article>"
            "</section></div><custom-thing>Unknown <span>tags</span></custom-thing>",
            [
                ("Normal", "Head"),
                ("Caption", "Figure 1"),
                ("Normal", "Foot"),
                ("Normal", "Unknown tags"),
            ],
            id="containers-and-unknown-tags-by-their-content",
        ),
        pytest.param(
            "<html><head><title>Not shown</title><style>p{color:red}</style></head><body>"
            "<script>var x = 1;</script><p>Shown</p><p aria-hidden='true'>Icon</p>"
            "<p class='lead no-word'>Screen only</p><p hidden>Hidden</p>"
            "<a class='visually-hidden-focusable' href='#main'>Skip</a>"
            "<button>Edit</button><img src='x.png' alt='A logo'></body></html>",
            [("Normal", "Shown")],
            id="what-is-never-written",
        ),
        pytest.param(
            "<figure><svg xmlns='http://www.w3.org/2000/svg' role='img'>"
            "<title id='t'>Agency social workers</title>"
            "<desc id='d'>Line chart of agency share from April 2024 to March 2025.</desc>"
            "<g><rect/><title>April 2024: 15.1%</title></g><text>15%</text></svg></figure>",
            [
                (
                    "Normal",
                    "Chart: Agency social workers. "
                    "Line chart of agency share from April 2024 to March 2025.",
                )
            ],
            id="a-chart-becomes-its-title-and-description",
        ),
        pytest.param(
            "<dl><dt>Contract sum</dt><dd>£80.8m</dd></dl><blockquote>A quote</blockquote>",
            [("Normal", "Contract sum"), ("List Continue", "£80.8m"), ("Quote", "A quote")],
            id="a-description-list-and-a-quote",
        ),
        pytest.param(
            "<p>See <a href='https://www.gov.uk/ofsted'>Ofsted's report</a>, "
            "<a href='/governance/actions/'>the actions log</a> and "
            "<a href='javascript:alert(1)'>this</a>.</p>",
            [("Normal", "See Ofsted's report, the actions log and this.")],
            id="links-by-their-text",
        ),
    ],
)
def test_the_html_comes_back_as_word_blocks(html, expected):
    assert blocks(write(html)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<script>alert('x')</script>", id="a-script-tag"),
        pytest.param("{{ request.user }} {% now 'Y' %}", id="template-syntax"),
        pytest.param("=cmd|' /C calc'!A0", id="a-dde-formula"),
        pytest.param('{ DDEAUTO "c:\\\\windows\\\\system32\\\\cmd.exe" }', id="a-field-code"),
        pytest.param("<w:p><w:r><w:t>injected</w:t></w:r></w:p>", id="word-markup"),
        pytest.param("]]><![CDATA[ & &amp; &lt;", id="xml-escapes"),
    ],
)
def test_person_text_stays_literal_text(text):
    from django.utils.html import escape

    said = escape(text)
    data = write(f"<h2>{said}</h2><p>Said: {said}</p><table><tr><td>{said}</td></tr></table>")
    assert blocks(data) == [
        ("Heading 2", text),
        ("Normal", f"Said: {text}"),
        ("table", [[text]]),
    ]
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    # Text is only ever a run's text: no field, no instruction, no macro part.
    for element in (b"w:fldSimple", b"w:instrText", b"w:fldChar", b"injected</w:t></w:r></w:p><"):
        assert element not in body
    assert not [
        name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if "vba" in name.lower()
    ]


def test_characters_xml_cannot_hold_are_dropped():
    assert blocks(write("<p>Bell\x07 and\x00 form\x0cfeed</p>")) == [
        ("Normal", "Bell and formfeed")
    ]


def test_bold_italic_and_footnote_markers_are_run_formatting():
    paragraph = document(
        write("<p>A <strong>bold</strong> <em>claim</em><sup>1</sup>.</p>")
    ).paragraphs[0]
    runs = {run.text: run.font for run in paragraph.runs}
    assert runs["bold"].bold
    assert not runs["bold"].italic
    assert runs["claim"].italic
    assert not runs["claim"].bold
    assert runs["1"].superscript
    assert runs["A "].bold is None


def test_a_tables_header_rows_repeat_on_each_page_and_are_bold():
    table = document(
        write(
            "<table><thead><tr><th>KPI</th><th>Value</th></tr></thead>"
            "<tbody><tr><th scope='row'>PI 1</th><td>85%</td></tr></tbody></table>"
        )
    ).tables[0]
    header, row = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
    assert all(run.font.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert row.cells[0].paragraphs[0].runs[0].font.bold
    assert not row.cells[1].paragraphs[0].runs[0].font.bold
    assert table.style.name == "Table Grid"


def test_a_table_without_thead_takes_its_leading_th_row_as_header():
    table = document(
        write("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>")
    ).tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize(
    ("href", "base_url", "target"),
    [
        pytest.param(
            "https://reports.ofsted.gov.uk/x", "", "https://reports.ofsted.gov.uk/x", id="https"
        ),
        pytest.param("mailto:opb@sandwell.gov.uk", "", "mailto:opb@sandwell.gov.uk", id="mailto"),
        pytest.param(
            "/kpis/pi1/",
            "https://opb.example/",
            "https://opb.example/kpis/pi1/",
            id="relative-with-base",
        ),
        pytest.param("/kpis/pi1/", "", None, id="relative-without-base"),
        pytest.param("#section-b", "https://opb.example/", None, id="a-fragment"),
        pytest.param("javascript:alert(1)", "", None, id="javascript"),
        pytest.param("file:///etc/passwd", "", None, id="a-file"),
    ],
)
def test_a_link_is_a_real_hyperlink_only_to_a_web_or_mail_address(href, base_url, target):
    paragraph = document(
        write(f"<p>Read <a href='{href}'>the source</a>.</p>", base_url=base_url)
    ).paragraphs[0]
    assert paragraph.text == "Read the source."
    found = [(link.text, link.address) for link in paragraph.hyperlinks]
    assert found == ([("the source", target)] if target else [])


def test_each_numbered_list_counts_from_its_own_start():
    word_document = document(
        write("<ol><li>a</li><li>b</li></ol><ol><li>c</li></ol><ol start='4'><li>d</li></ol>")
    )
    numbers = [p._p.pPr.numPr.numId.val for p in word_document.paragraphs]
    assert numbers[0] == numbers[1]
    assert len(set(numbers)) == 3
    numbering = word_document.part.numbering_part.element
    starts = [
        numbering.num_having_numId(n)
        .find(qn("w:lvlOverride"))
        .find(qn("w:startOverride"))
        .get(qn("w:val"))
        for n in numbers
    ]
    assert starts == ["1", "1", "1", "4"]


def test_the_page_is_a4_with_2_cm_margins_and_the_properties_are_set():
    word_document = document(
        word.docx_from_html(
            "<p>x</p>", title="Annual review 2024-25", author="Trust", created=WRITTEN
        )
    )
    section = word_document.sections[0]
    # Word keeps lengths in twentieths of a point: within a tenth of a millimetre.
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21, 29.7)
    margins = section.left_margin, section.right_margin, section.top_margin, section.bottom_margin
    assert {round(margin.cm, 2) for margin in margins} == {2}
    properties = word_document.core_properties
    assert properties.title == "Annual review 2024-25"
    assert properties.author == "Trust"
    assert properties.created == WRITTEN
    assert properties.language == "en-GB"
    assert properties.comments == ""


def test_the_same_html_and_time_give_the_same_bytes():
    html = "<h1>Review</h1><ol><li>One</li></ol><p><a href='https://x.example'>x</a></p>"
    assert write(html) == write(html)
    later = word.docx_from_html(
        html, title="A report", created=WRITTEN + datetime.timedelta(days=1)
    )
    assert later != write(html)


def test_headings_and_text_come_back_in_order():
    html = "<!doctype html><html lang='en-GB'>" + "".join(
        f"<h{n}>Level {n}</h{n}><p>Text {n}</p>" for n in range(1, 5)
    )
    data = write(html)
    assert headings(data) == [(n, f"Level {n}") for n in range(1, 5)]
    assert all_text(data).split("\n") == [
        line for n in range(1, 5) for line in (f"Level {n}", f"Text {n}")
    ]


def test_a_download_is_an_attachment_that_is_not_sniffed():
    answer = word.response(b"PK...", "annual-review-2024-25")
    assert answer["Content-Type"] == word.CONTENT_TYPE
    assert answer["Content-Disposition"] == 'attachment; filename="annual-review-2024-25.docx"'
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer.content == b"PK..."


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            "<table></table><table><caption>Only a caption</caption></table>",
            [("Caption", "Only a caption")],
            id="tables-without-rows",
        ),
        pytest.param(
            "</p></div>Stray end tags</span>", [("Normal", "Stray end tags")], id="stray-end-tags"
        ),
        pytest.param(
            "<ul><li>Never closed", [("List Bullet", "Never closed")], id="a-list-never-closed"
        ),
        pytest.param(
            "<td>An orphan cell</td><tr><td>and row</td></tr>",
            [("Normal", "An orphan cell"), ("Normal", "and row")],
            id="cells-outside-a-table",
        ),
        pytest.param(
            "<table><tr><td colspan='x' rowspan='-3'>a</td><td colspan='99999'>b</td></tr></table>",
            [("table", [["a"] + ["b"] * 62])],
            id="spans-that-are-not-numbers-or-too-wide",
        ),
        pytest.param(
            "<ol start='x'><li>One</li></ol>",
            [("List Number", "One")],
            id="a-start-that-is-not-a-number",
        ),
        pytest.param(
            "<div>" * 500 + "Deep" + "</div>" * 500,
            [("Normal", "Deep")],
            id="elements-nested-500-deep",
        ),
        pytest.param(
            "<p><strong>a</strong> <em>b</em><span> </span>c</p>",
            [("Normal", "a b c")],
            id="spaces-between-inline-elements",
        ),
        pytest.param(
            "<pre>  two  spaces\n  and a line</pre>",
            [("Normal", "  two  spaces\n  and a line")],
            id="pre-keeps-its-spaces-and-lines",
        ),
        pytest.param("", [("Normal", "")], id="nothing-is-one-empty-paragraph"),
    ],
)
def test_html_a_browser_would_forgive_is_written_without_failing(html, expected):
    assert blocks(write(html)) == expected
