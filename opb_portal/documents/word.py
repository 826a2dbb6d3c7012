"""
The one way the portal writes a Word document: `docx_from_html`, with python-docx.

A document is written from the same escaped HTML the portal renders for its page and its
PDF (the annual review's print HTML, a report's HTML), so HTML, PDF and Word say the same
words (docs/decisions/0011-word-documents.md). The HTML is read with the standard library's
`html.parser` into a small tree, then written as Word's own structure:

- h1 to h6 as the Heading 1 to 6 styles (the navigation pane and a table of contents work);
- p as a paragraph; ul and ol as List Bullet and List Number (each ol numbered from its own
  start, nested lists one level in, up to three), a list item's further paragraphs as
  List Continue; dl as bold terms and indented descriptions; blockquote as Quote;
  pre keeps its spaces and lines;
- table as a Word table (Table Grid): its caption a Caption paragraph above it, the rows of
  its thead (or its leading rows of th) a bold header row repeated on each page, th bold
  wherever it is, colspan and rowspan merged;
- strong/b bold, em/i italic, u underlined, sup and sub raised and lowered (footnote
  markers), br a line break; a link a real hyperlink when its address is http(s) or mailto
  (relative addresses are joined to `base_url` when one is given), otherwise its text;
- an inline SVG chart as one italic paragraph of its `<title>` and `<desc>` (the chart module
  writes both: what the chart is and what it shows), the words a screen reader hears;
- any other element by its content. Nothing is written for script, style, the head, form
  controls, images, elements marked `hidden` or `aria-hidden="true"`, and elements of class
  `no-word` (for the Word file only) or `d-print-none` (Word is a printed document too).

Whitespace is collapsed as a browser does. Text is only ever text: every piece of it is a
run's `w:t` written by python-docx (lxml escapes it), so nothing the HTML holds becomes
markup, a field code or a macro; characters XML cannot hold are dropped.

The page is A4 with 2 cm margins; the core properties carry the title, the author and the
creation time (passed in, or now). The same HTML and time give the same bytes: the zip's
entry times are the creation time, not the moment of writing.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import docx
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx.table import _Cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

HEADINGS = {f"h{n}": f"Heading {n}" for n in range(1, 7)}
# Elements whose content is never part of the document.
SKIPPED = {
    "head", "title", "script", "style", "template", "noscript", "iframe", "object", "embed",
    "canvas", "audio", "video", "map", "math", "img", "picture", "form", "input", "button",
    "select", "textarea", "option", "datalist", "dialog", "meta", "link", "base",
}  # fmt: skip
SKIPPED_CLASSES = {"no-word", "d-print-none", "visually-hidden-focusable"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
# Elements that start a new block: they end an open paragraph (p) in the parser, and the
# paragraph being written in the writer.
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "ul", "caption", "tr", "td", "th", "thead", "tbody", "tfoot",
}  # fmt: skip
LINKABLE = {"http", "https", "mailto"}
MAX_LIST_LEVEL = 3
MAX_DEPTH = 100  # elements within elements: the writer walks the tree recursively
MAX_COLUMNS = 63  # the most a Word table may have
# ASCII whitespace collapses, as in a browser; a no-break space stays.
SPACES = re.compile(r"[ \t\n\r\f]+")
# Characters an XML 1.0 document cannot hold (lxml refuses them): dropped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)


def docx_from_html(
    html: str,
    *,
    title: str,
    author: str = "",
    created: datetime.datetime | None = None,
    base_url: str = "",
) -> bytes:
    """
    A Word document (.docx bytes) of `html`: its headings, paragraphs, lists, tables and
    links as Word's own styles and structure, A4 with 2 cm margins, titled `title`.

    `created` (default now) is the document's creation time and its files' times, so the
    same HTML written with the same time gives the same bytes; `base_url` makes relative
    links absolute (without it they become their text).
    """
    created = _utc(created or timezone.now())
    root = _parse(html)
    document = docx.Document()
    _set_up(document, title=title, author=author, created=created, lang=_lang(root))
    _Writer(document, base_url=base_url).write(root)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue(), created)


def response(data: bytes, filename: str) -> HttpResponse:
    """A .docx as a download: attachment, its content type, and no sniffing of another."""
    if not filename.lower().endswith(".docx"):
        filename += ".docx"
    answer = HttpResponse(data, content_type=CONTENT_TYPE)
    answer["Content-Disposition"] = content_disposition_header(True, filename)
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


# --- reading the HTML ----------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def elements(self, *tags: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (not tags or c.tag in tags)]


class _TreeBuilder(HTMLParser):
    """HTML to a tree of `Node`s, closing what a browser closes by itself (p, li, td, tr)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        self._close_implied(tag)
        if len(self.stack) > MAX_DEPTH:
            return  # deeper than any page of ours: its content joins the element it is in
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        # <br/>, and the self-closed elements of an inline SVG (<path .../>).
        self._close_implied(tag)
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        # The nearest open element of that name closes, with all it holds; a stray end tag
        # is ignored, as a browser ignores it.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag in BLOCKS and self.stack[-1].tag == "p":
            self.stack.pop()
        implied = {
            "li": ({"li"}, {"ul", "ol"}),
            "dt": ({"dt", "dd"}, {"dl"}),
            "dd": ({"dt", "dd"}, {"dl"}),
            "td": ({"td", "th"}, {"tr", "table"}),
            "th": ({"td", "th"}, {"tr", "table"}),
            "tr": ({"tr"}, {"thead", "tbody", "tfoot", "table"}),
            "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
            "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
            "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
        }.get(tag)
        if implied is None:
            return
        closes, stops = implied
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag in stops:
                return
            if self.stack[depth].tag in closes:
                del self.stack[depth:]
                return


def _parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _lang(root: Node) -> str:
    for node in root.elements("html"):
        if lang := node.attrs.get("lang", "").strip():
            return lang
    return "en-GB"


def _skipped(node: Node) -> bool:
    attrs = node.attrs
    return (
        node.tag in SKIPPED
        or "hidden" in attrs
        or attrs.get("aria-hidden", "").strip().lower() == "true"
        or not SKIPPED_CLASSES.isdisjoint(attrs.get("class", "").split())
    )


def _text_of(node: Node) -> str:
    """All the text an element holds, collapsed."""
    parts: list[str] = []

    def walk(n: Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif not _skipped(child):
                walk(child)

    walk(node)
    return SPACES.sub(" ", "".join(parts)).strip()


# --- writing Word --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False
    subscript: bool = False
    pre: bool = False
    href: str = ""


BREAK = object()  # a <br> among a paragraph's pieces of text


class _Place:
    """Where blocks go: the document's body or a table cell (whose first paragraph is reused)."""

    def __init__(self, parent, *, reuse=None):
        self.parent = parent
        self.reuse = reuse

    def paragraph(self, style_id: str | None):
        if self.reuse is not None:
            paragraph, self.reuse = self.reuse, None
        else:
            paragraph = self.parent.add_paragraph()
        if style_id:
            paragraph._p.style = style_id
        return paragraph

    def table(self, rows: int, cols: int):
        return self.parent.add_table(rows, cols)


class _Writer:
    def __init__(self, document, *, base_url: str):
        self.document = document
        self.base_url = base_url
        self.pieces: list[tuple[object, _Format]] = []  # the paragraph being gathered
        # What the paragraphs being written are, kept and restored around each element:
        self.place = _Place(document)
        self.format = _Format()
        self.style: str | None = None  # the next paragraph's style
        self.then_style: str | None = None  # the style of the paragraphs after it
        self.number = ""  # the next paragraph's numbering (its ol's numId), if not its style's
        self.list_depth = 0
        self.style_ids: dict[str, str] = {}

    def write(self, root: Node) -> None:
        self.walk(root)
        self.flush()
        if not self.document.paragraphs and not self.document.tables:
            self.document.add_paragraph()  # Word expects a body to hold a paragraph

    @contextmanager
    def kept(self):
        """Whatever an element changes of where and how paragraphs are written, undone after."""
        state = self.place, self.format, self.style, self.then_style, self.number, self.list_depth
        try:
            yield
        finally:
            (
                self.place,
                self.format,
                self.style,
                self.then_style,
                self.number,
                self.list_depth,
            ) = state

    # -- the tree -------------------------------------------------------------------------

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.pieces.append((child, self.format))
            elif not _skipped(child):
                self.element(child)

    def element(self, node: Node) -> None:  # noqa: C901, PLR0912 one branch per kind of element
        tag = node.tag
        if tag in HEADINGS:
            self.block(node, style=HEADINGS[tag])
        elif tag in ("ul", "ol"):
            self.list(node)
        elif tag == "table":
            self.table(node)
        elif tag == "svg":
            self.chart(node)
        elif tag == "br":
            self.pieces.append((BREAK, self.format))
        elif tag in ("strong", "b", "th"):
            self.inline(node, bold=True)
        elif tag in ("em", "i", "cite", "dfn", "var"):
            self.inline(node, italic=True)
        elif tag in ("u", "ins"):
            self.inline(node, underline=True)
        elif tag == "sup":
            self.inline(node, superscript=True)
        elif tag == "sub":
            self.inline(node, subscript=True)
        elif tag == "a":
            self.inline(node, href=self.link(node))
        elif tag == "pre":
            self.flush()
            self.inline(node, pre=True)
            self.flush()
        elif tag == "dt":
            self.flush()
            self.inline(node, bold=True)
            self.flush()
        elif tag == "dd":
            self.block(node, style="List Continue")
        elif tag == "blockquote":
            self.block(node, style="Quote")
        elif tag in ("figcaption", "caption"):
            self.block(node, style="Caption")
        elif tag in BLOCKS:
            self.flush()
            self.walk(node)
            self.flush()
        else:
            # span, abbr, time, small, mark, code, an element we do not know: its content
            self.walk(node)

    def inline(self, node: Node, **changes) -> None:
        with self.kept():
            self.format = replace(self.format, **changes)
            self.walk(node)

    def block(self, node: Node, *, style: str) -> None:
        """An element whose content is a paragraph (or several) in `style`."""
        self.flush()
        with self.kept():
            self.style = self.then_style = style
            self.walk(node)
            self.flush()

    def list(self, node: Node) -> None:
        self.flush()
        with self.kept():
            self.list_depth += 1
            level = min(self.list_depth, MAX_LIST_LEVEL)
            suffix = "" if level == 1 else f" {level}"
            kind = ("List Number" if node.tag == "ol" else "List Bullet") + suffix
            number = self._restarted(kind, _start(node)) if node.tag == "ol" else ""
            for item in node.elements():
                if _skipped(item):
                    continue
                # An item's first paragraph is numbered or bulleted; the rest continue it.
                self.style, self.then_style, self.number = kind, "List Continue" + suffix, number
                if item.tag == "li":
                    self.walk(item)
                else:
                    self.element(item)
                self.flush()

    def link(self, node: Node) -> str:
        """The address a link's text points at, if Word may link to it; else ''."""
        href = node.attrs.get("href", "").strip()
        if not href or href.startswith("#"):
            return ""
        if self.base_url:
            href = urljoin(self.base_url, href)
        try:
            scheme = urlsplit(href).scheme.lower()
        except ValueError:
            return ""
        return href if scheme in LINKABLE and not NOT_XML.search(href) else ""

    def chart(self, node: Node) -> None:
        """An inline SVG: its title and description, the words a screen reader hears."""
        words = [_text_of(child) for child in node.elements("title", "desc")[:2]]
        words = [w if w.endswith(".") else w + "." for w in words if w]
        if not words:
            return
        self.flush()
        self.pieces.append(("Chart: " + " ".join(words), replace(self.format, italic=True)))
        self.flush()

    def table(self, node: Node) -> None:  # noqa: C901 the grid of a table with merged cells
        self.flush()
        for caption in node.elements("caption"):
            self.block(caption, style="Caption")
        rows: list[tuple[Node, bool]] = []
        for child in node.elements():
            if child.tag == "tr":
                rows.append((child, False))
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += [(tr, child.tag == "thead") for tr in child.elements("tr")]
        rows = [(tr, head) for tr, head in rows if not _skipped(tr)]
        if not any(head for _, head in rows):
            # No thead: the leading rows made only of th are the header.
            for index, (tr, _) in enumerate(rows):
                cells = [c for c in tr.elements("th", "td") if not _skipped(c)]
                if not cells or any(c.tag == "td" or c.attrs.get("scope") == "row" for c in cells):
                    break
                rows[index] = (tr, True)
        # The grid: where each cell starts and how far it spans.
        taken: set[tuple[int, int]] = set()
        placed: list[tuple[Node, int, int, int, int]] = []
        for r, (tr, _) in enumerate(rows):
            c = 0
            for cell in tr.elements("th", "td"):
                if _skipped(cell):
                    continue
                while (r, c) in taken:
                    c += 1
                if c >= MAX_COLUMNS:
                    break  # the cells past Word's last column are left out
                across = min(_span(cell.attrs.get("colspan")), MAX_COLUMNS - c)
                down = min(_span(cell.attrs.get("rowspan")), len(rows) - r)
                taken |= {(r + i, c + j) for i in range(down) for j in range(across)}
                placed.append((cell, r, c, down, across))
                c += across
        if not placed:
            return
        width = max(c for _, c in taken) + 1
        table = self.place.table(len(rows), width)
        table._tbl.tblPr.style = self.style_id("Table Grid")
        for r, (_, head) in enumerate(rows):
            if head:
                _repeat_as_header(table.rows[r])
        # The cells of the grid before any merge, found once: python-docx's table.cell(r, c)
        # walks the whole table each time, which made a long table take seconds.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for cell, r, c, down, across in placed:
            target = grid[r][c]
            if down > 1 or across > 1:
                target = target.merge(grid[r + down - 1][c + across - 1])
            with self.kept():
                self.place = _Place(target, reuse=target.paragraphs[0])
                self.style = self.then_style = None
                self.number, self.list_depth = "", 0
                if cell.tag == "th" or rows[r][1]:
                    self.format = replace(self.format, bold=True)
                self.walk(cell)
                self.flush()

    # -- paragraphs -----------------------------------------------------------------------

    def flush(self) -> None:
        """The pieces of text gathered so far as one paragraph, whitespace collapsed."""
        pieces, self.pieces = _collapsed(self.pieces), []
        if not any(text is not BREAK for text, _ in pieces):
            return
        paragraph = self.place.paragraph(self.style_id(self.style) if self.style else None)
        if self.number:
            _number(paragraph, self.number)
            self.number = ""
        self.style = self.then_style
        hyperlink, linked = None, ""
        for text, fmt in pieces:
            if fmt.href != linked:
                hyperlink, linked = (
                    (_hyperlink(paragraph, fmt.href), fmt.href) if fmt.href else (None, "")
                )
            run = paragraph.add_run()
            if hyperlink is not None:
                hyperlink.append(run._r)
            if text is BREAK:
                run.add_break()
                continue
            _format(run, fmt)
            lines = text.split("\n") if fmt.pre else [text]
            for index, line in enumerate(lines):
                if index:
                    run.add_break()
                run.add_text(line)

    def style_id(self, name: str) -> str:
        """A style's id, by its name, looked up once (python-docx looks it up by a scan)."""
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def _restarted(self, style: str, start: int) -> str:
        """A new numbering for one ol, counting from `start`: each list counts from its own."""
        paragraph_properties = self.document.styles[style].element.pPr
        num_pr = paragraph_properties.numPr if paragraph_properties is not None else None
        if num_pr is None or num_pr.numId is None:
            return ""
        numbering = self.document.part.numbering_part.element
        abstract = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return str(num.numId)


def _collapsed(pieces: list[tuple[object, _Format]]) -> list[tuple[object, _Format]]:
    """Whitespace as a browser shows it: runs of it one space, none at a line's ends."""
    out: list[tuple[object, _Format]] = []
    at_line_start = True
    for text, fmt in pieces:
        if text is BREAK:
            _trim_end(out)
            out.append((BREAK, fmt))
            at_line_start = True
            continue
        text = NOT_XML.sub("", text)
        if not fmt.pre:
            text = SPACES.sub(" ", text)
            if at_line_start:
                text = text.lstrip(" ")
        if not text:
            continue
        out.append((text, fmt))
        at_line_start = not fmt.pre and text.endswith(" ")
    _trim_end(out)
    while out and out[-1][0] is BREAK:
        out.pop()
    return out


def _trim_end(out: list[tuple[object, _Format]]) -> None:
    while out and out[-1][0] is not BREAK and not out[-1][1].pre:
        text, fmt = out[-1]
        text = text.rstrip(" ")
        if text:
            out[-1] = (text, fmt)
            return
        out.pop()


def _format(run, fmt: _Format) -> None:
    font = run.font
    font.bold = fmt.bold or None
    font.italic = fmt.italic or None
    font.underline = fmt.underline or None
    # Both set the one vertical alignment: set only the one asked for.
    if fmt.superscript:
        font.superscript = True
    elif fmt.subscript:
        font.subscript = True
    if fmt.href:
        run.style = "Hyperlink"
    if fmt.pre:
        font.name = "Courier New"


def _hyperlink(paragraph, url: str):
    """A `w:hyperlink` to an external address, appended to the paragraph; runs go inside it."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    paragraph._p.append(hyperlink)
    return hyperlink


def _number(paragraph, num_id: str) -> None:
    """The paragraph counts in numbering `num_id` (its ol's own) rather than its style's."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = int(num_id)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _start(node: Node) -> int:
    try:
        return max(0, int(node.attrs.get("start", "1")))
    except ValueError:
        return 1


# --- the document around the text ----------------------------------------------------------


def _set_up(document, *, title: str, author: str, created: datetime.datetime, lang: str) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    properties = document.core_properties
    properties.title = NOT_XML.sub("", title)
    properties.author = properties.last_modified_by = NOT_XML.sub("", author)
    properties.created = properties.modified = created
    properties.revision = 1
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    properties.language = lang
    # The document's language, for spelling and for screen readers.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), lang)
    if "Hyperlink" not in [s.name for s in document.styles]:
        style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.underline = True
        style.font.color.rgb = LINK_COLOUR


def _utc(moment: datetime.datetime) -> datetime.datetime:
    # python-docx writes the time as it is, marked Z: it must be UTC already.
    if timezone.is_naive(moment):
        return moment
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def _fixed_times(data: bytes, created: datetime.datetime) -> bytes:
    """The zip rewritten with every entry dated `created`: same content, same bytes."""
    when = max(created, datetime.datetime(1980, 1, 1)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
