"""
A Word document read back with python-docx, block by block, for tests to compare.

`blocks(data)` gives the body in order: each paragraph as (its style, its text) and each
table as ("table", its rows of cell texts). The annual review's and the reports' tests use it.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

Block = tuple[str, object]


def document(data: bytes):
    return docx.Document(io.BytesIO(data))


def blocks(data: bytes) -> list[Block]:
    """The body's paragraphs (style, text) and tables ("table", rows of cell texts), in order."""
    word = document(data)
    found: list[Block] = []
    for element in word.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, word)
            found.append((paragraph.style.name, paragraph.text))
        elif tag == "tbl":
            table = Table(element, word)
            found.append(("table", [[cell.text for cell in row.cells] for row in table.rows]))
    return found


def headings(data: bytes) -> list[tuple[int, str]]:
    """The headings: (level, text), as the navigation pane lists them."""
    return [
        (int(style.removeprefix("Heading ")), text)
        for style, text in blocks(data)
        if style.startswith("Heading ")
    ]


def words(text: str) -> list[str]:
    """The words of a text, whitespace and line breaks aside."""
    return text.split()


def all_text(data: bytes) -> str:
    """Every paragraph's and every cell's text, in order, one per line (a merged cell once)."""
    word = document(data)
    lines: list[str] = []
    for element in word.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, word).text)
        elif tag == "tbl":
            lines += [
                "\n".join(p.text for p in _Cell(tc, word).paragraphs)
                for tc in element.iter(qn("w:tc"))
            ]
    return "\n".join(lines)
