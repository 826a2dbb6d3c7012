"""
The board pack and the annual review are accessible documents (issue 15, part 7).

Both are tagged PDF/UA-1 files: a structure tree (Document > headings, paragraphs, lists,
tables of rows of header and data cells, figures with alternative text), the title shown as
the document's title, its language set, the bookmarks kept, a reading order that follows
each table row by row, and no page left mostly blank because a short table went over a break.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from opb_portal.boardpack import render

DOCUMENTS = [
    pytest.param("demo_march_pack", id="board-pack"),
    pytest.param("demo_annual_review", id="annual-review"),
]
# A page may be this empty (below its last line, between the running header and the draft
# band) only when it is the last page of a section: the next section starts on a new page.
MOSTLY_BLANK = 0.60


@dataclass
class Element:
    """One element of the PDF's structure tree: its type, attributes and children in order."""

    kind: str
    alt: str | None = None
    children: list[Element] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all(self, kind: str) -> list[Element]:
        return [element for element in self.walk() if element.kind == kind]


def _element(node) -> Element:
    node = node.get_object()
    kids = node.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    element = Element(str(node["/S"]).lstrip("/"), alt=node.get("/Alt"))
    for kid in kids:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        # Marked content (an integer, an MCR) and annotations (OBJR) are leaves, not elements.
        if isinstance(kid, dict) and "/S" in kid:
            element.children.append(_element(kid))
    return element


def structure(pdf: bytes) -> tuple[dict, Element]:
    """The document catalogue and the root of its structure tree (StructTreeRoot > Document)."""
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    root = catalog["/StructTreeRoot"].get_object()["/K"]
    root = root[0] if isinstance(root, list) else root
    return catalog, _element(root)


def _document(request, name: str):
    return request.getfixturevalue(name)


def _pdfinfo(pdf: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(
            ["pdfinfo", handle.name], check=True, capture_output=True, text=True
        ).stdout
    pairs = (line.split(":", 1) for line in out.splitlines() if ":" in line)
    return {key: value.strip() for key, value in pairs}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_document_is_a_tagged_pdf_with_its_title_and_language(request, name):
    document = _document(request, name)
    info = _pdfinfo(document.rendered.pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] in {"OPB board pack: March 2025", "Annual review 2024-25 (draft)"}
    catalog, _ = structure(document.rendered.pdf)
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    # A reader's window shows the title, not the file name (PDF/UA-1, 7.1).
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # PDF/UA's identification is in the XMP metadata.
    metadata = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_structure_tree_holds_headings_paragraphs_and_tables_of_rows_and_cells(request, name):
    _, document = structure(_document(request, name).rendered.pdf)
    assert document.kind == "Document"
    kinds = {element.kind for element in document.walk()}
    assert {"H1", "H2", "P", "Table", "TR", "TH", "TD", "L", "LI"} <= kinds
    tables = document.all("Table")
    assert len(tables) >= 8
    for table in tables:
        # A table holds rows (in a header or body group), and a row holds only cells.
        rows = table.all("TR")
        assert rows, "a table without rows"
        for row in rows:
            assert row.children, "an empty row"
            assert {cell.kind for cell in row.children} <= {"TH", "TD"}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_heading_of_a_section_is_a_heading_in_the_structure(request, name):
    built = _document(request, name)
    headings = built.built.parts
    _, document = structure(built.rendered.pdf)
    heading_kinds = {"H1", "H2", "H3"}
    # Each section's heading (its title, or its title in the annual review) is tagged as one.
    found = [element for element in document.walk() if element.kind in heading_kinds]
    assert len(found) >= len(headings) + 1


def test_every_chart_in_the_pack_is_a_figure_whose_alternative_text_says_what_it_shows(
    demo_march_pack,
):
    html = render.pack_html(demo_march_pack.built)
    # A page's chart comes twice, drawn for a column and for a phone; print shows the first.
    charts = len(re.findall(r"<svg\b", html)) - html.count('class="chart-narrow"><svg')
    _, document = structure(demo_march_pack.rendered.pdf)
    figures = document.all("Figure")
    # The scorecard's fifteen sparklines, each amber KPI's chart, finance, workforce, demand.
    assert charts >= 20
    assert len(figures) == charts
    for figure in figures:
        assert figure.alt, "a figure without alternative text"
    alts = [str(figure.alt) for figure in figures]
    # The chart's <title> and its <desc>, as one text.
    assert "Forecast in-year deficit, 2024-25. Line chart of Forecast in-year deficit" in " ".join(
        alts
    )
    assert any(alt.startswith("PI2, last 12 months. Trend over 12 periods") for alt in alts)


def test_every_figure_in_the_annual_review_has_alternative_text(demo_annual_review):
    _, document = structure(demo_annual_review.rendered.pdf)
    # The 2024-25 review draws no chart today; any it draws must say what it shows.
    assert all(figure.alt for figure in document.all("Figure"))


def test_an_inline_charts_title_and_description_become_its_alternative_text(db):
    html = (
        '<!doctype html><html lang="en-GB"><head><title>Charts</title></head><body>'
        '<h1>Charts</h1><figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        "<title>Deficit, 2024-25</title><desc>Line chart of the deficit,\n   rising.</desc>"
        '<g><title>Apr-24: 1.2</title><rect width="5" height="5"/></g></svg></figure>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Only a title</title>'
        '<rect width="5" height="5"/></svg></body></html>'
    )
    rendered = render.pdf_from_html(html, identifier="alt-text")
    _, document = structure(rendered.pdf)
    assert [figure.alt for figure in document.all("Figure")] == [
        "Deficit, 2024-25. Line chart of the deficit, rising.",
        "Only a title",
    ]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_bookmarks_are_the_sections_as_before(request, name):
    document = _document(request, name)
    reader = PdfReader(io.BytesIO(document.rendered.pdf))
    titles = _outline_titles(reader.outline)
    for part in document.built.parts:
        title = part.section.title if name == "demo_march_pack" else part.section.annual_title
        assert title in titles


def _outline_titles(outline) -> list[str]:
    found = []
    for item in outline:
        found += _outline_titles(item) if isinstance(item, list) else [item.title]
    return found


def test_the_scorecard_reads_row_by_row_each_kpi_then_its_cells(demo_march_pack):
    """
    The page's text in the order the PDF gives it (`pdftotext -raw`, the content's own order,
    which the structure tree's rows follow too): each KPI's code and title, then its cells.
    """
    pack, rendered = demo_march_pack.built, demo_march_pack.rendered
    page = next(
        number
        for number, text in enumerate(demo_march_pack.pages, start=1)
        if re.search(r"^\s*KPI scorecard\s*$", text, re.M)
    )
    text = _raw_text(rendered.pdf, page)
    scorecard = next(part for part in pack.parts if part.section.key == "kpi-scorecard")
    lines = scorecard.context["lines"]
    starts = [text.index(f"{line.row.kpi.code} {line.row.kpi.title.split()[0]}") for line in lines]
    assert starts == sorted(starts), "the KPIs are out of order"
    for line, start, end in zip(lines, starts, [*starts[1:], len(text)], strict=True):
        row = " ".join(text[start:end].split())
        word = line.row.status.value.capitalize() if line.row.status.value != "missing" else ""
        # Read column by column, a KPI's text would run into the next KPI's title, not its RAG.
        assert word in row, (line.row.kpi.code, row)


def _raw_text(pdf: bytes, page: int) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-raw", "-f", str(page), "-l", str(page), handle.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def _emptiness(pdf: bytes) -> list[float]:
    """
    Each page's share left blank below its last mark, between the running header and the
    draft band (the @page margins: 19 mm at the top and 17 mm at the bottom of 297 mm).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "24", "-gray", str(path), f"{folder}/page"], check=True)
        found = []
        for picture in sorted(Path(folder).glob("page-*.pgm")):
            with Image.open(picture) as image:
                width, height = image.size
                top, bottom = round(height * 19 / 297), round(height * 280 / 297)
                pixels = image.load()
                last = top
                for y in range(top, bottom):
                    if any(pixels[x, y] < 200 for x in range(width)):
                        last = y
                found.append((bottom - last) / (bottom - top))
        return found


def _section_starts(document, *, annual: bool) -> set[int]:
    """
    The pages on which a section starts (each starts a page): the cover, contents, parts (and
    the annual review's introduction).
    """
    reader = PdfReader(io.BytesIO(document.rendered.pdf))
    destinations = reader.named_destinations
    anchors = {"cover", "contents-title"} | {part.anchor for part in document.built.parts}
    if annual:
        anchors |= {"introduction"}
    else:
        anchors |= {"summary", "sources"}
    return {
        reader.get_destination_page_number(destinations[anchor]) + 1
        for anchor in anchors
        if anchor in destinations
    }


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_page_is_mostly_blank_unless_it_is_the_last_of_its_section(request, name):
    document = _document(request, name)
    starts = _section_starts(document, annual=name == "demo_annual_review")
    emptiness = _emptiness(document.rendered.pdf)
    assert len(emptiness) == document.rendered.pages
    assert len(starts) >= 8
    mostly_blank = [
        (number, f"{empty:.0%}")
        for number, empty in enumerate(emptiness, start=1)
        if empty > MOSTLY_BLANK and number + 1 not in starts and number != len(emptiness)
    ]
    assert mostly_blank == []


def test_a_short_table_moves_to_the_next_page_whole_rather_than_split(db):
    """Six rows after a page nearly full of text: without the rule, row 0 alone ends page 1."""
    filler = "".join(f"<p>Line {number} of the text before the table.</p>" for number in range(39))
    rows = "".join(f"<tr><th scope='row'>Row {n}</th><td>{n}</td></tr>" for n in range(6))
    html = (
        '<!doctype html><html lang="en-GB"><head><title>Break</title>'
        '<link rel="stylesheet" href="/static/css/pack.css"></head><body>'
        f"{filler}<table><thead><tr><th scope='col'>Row</th><th scope='col'>Value</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></body></html>"
    )
    rendered = render.pdf_from_html(html, identifier="break")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(rendered.pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout
    pages = text.split("\f")
    assert "Line 38 of the text" in pages[0]
    assert "Row 0" not in pages[0]
    assert all(f"Row {n}" in pages[1] for n in range(6))
