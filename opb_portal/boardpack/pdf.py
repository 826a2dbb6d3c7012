"""
Writing a PDF with WeasyPrint: the one module that imports it.

WeasyPrint fetches whatever a document points at: stylesheets, images, and the
files a `<link rel="attachment">` names. User text is escaped by the templates,
so it never becomes markup; as a second line of defence the fetcher serves only
the portal's own static files and `data:` URLs and refuses everything else
(`file:`, `http:`, a path that climbs out of the static directories), and the
PDF is written with no attachments whatever the document asked for.

Public bodies publish accessible documents, so every PDF is tagged: WeasyPrint's PDF/UA-1
output gives a structure tree (headings, paragraphs, lists, tables with their header cells,
figures), the document's title shown as its title, and its language from `<html lang>`.
A chart is an inline SVG, which WeasyPrint tags as a Figure whose alternative text is the
SVG's `<title>`; the chart module writes a short `<title>` and says what the chart shows
in its `<desc>`, so both become the figure's alternative text (`_alt_text_for_charts`).

Only `render.pdf_from_html` imports this module, when a PDF is made: importing
WeasyPrint (its CSS engine, fonts and PDF writer) would otherwise cost every page
request's process and every `manage.py` command at start-up
(tests/boardpack/test_weasyprint_is_lazy.py).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .render import Rendered

# Relative URLs in the print templates resolve against this origin, which exists
# nowhere (.invalid never resolves): the fetcher maps it to the static files.
ORIGIN = "https://portal.invalid/"

# PDF/UA-1 (ISO 14289-1): a tagged PDF 1.7 that readers and checkers such as PAC and veraPDF know.
PDF_VARIANT = "pdf/ua-1"
SVG = "{http://www.w3.org/2000/svg}"

logger = logging.getLogger(__name__)


class PortalFetcher(URLFetcher):
    """Serves the portal's static files and `data:` URLs to WeasyPrint; refuses anything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            self.served.append(url[:40])
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Board pack refused to fetch %s", url[:200])
            raise ValueError(f"The board pack fetches only the portal's static files: {url!r}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        prefix = ORIGIN + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            return None
        relative = unquote(urlsplit(url).path)[len(urlsplit(prefix).path) :]
        try:
            found = finders.find(relative)
            # In production the templates name the hashed copies collectstatic made
            # (pack.a27505b1.css), which only the storage knows.
            if not found and staticfiles_storage.exists(relative):
                found = staticfiles_storage.path(relative)
        except SuspiciousFileOperation:
            return None
        return Path(found) if found and Path(found).is_file() else None


def write_pdf(html: str, *, identifier: str) -> Rendered:
    """
    A PDF of `html`: only static files fetched, no attachments, a fixed file identifier.

    WeasyPrint logs each page it lays out; `render.render_pack` turns that into a job's
    progress.
    """
    fetcher = PortalFetcher()
    parsed = HTML(string=html, base_url=ORIGIN, url_fetcher=fetcher)
    _only_the_printed_charts(parsed.etree_element)
    _alt_text_for_charts(parsed.etree_element)
    document = parsed.render(pdf_variant=PDF_VARIANT)
    pages = len(document.pages)
    # Whatever a <link rel="attachment"> asked for, the pack carries no files.
    document.metadata.attachments = []
    pdf = document.write_pdf(pdf_identifier=identifier.encode("ascii"), pdf_variant=PDF_VARIANT)
    return Rendered(pdf, pages, hashlib.sha256(pdf).hexdigest(), fetcher)


def _only_the_printed_charts(root) -> None:
    """
    Drop each chart's phone-width copy (`chart-narrow`) from the parsed copy WeasyPrint reads.

    A page's chart comes twice, drawn for a column and for a phone (opb_portal/charts);
    the print stylesheet shows only the first, but WeasyPrint would still cascade styles
    through every element of the hidden copy. Removing it changes nothing on paper and
    spares that work; the HTML itself is not changed.
    """
    hidden = [
        (parent, child)
        for parent in root.iter()
        for child in parent
        if child.tag == "div" and "chart-narrow" in (child.get("class") or "").split()
    ]
    for parent, child in hidden:
        parent.remove(child)


def _alt_text_for_charts(root) -> None:
    """
    Each inline chart's alternative text in the PDF: its `<title>` and its `<desc>`, as one.

    WeasyPrint makes the first `<title>` child of an `<svg>` the Figure's /Alt and reads no
    `<desc>`; a title is not drawn, so joining the description to it changes only what a
    screen reader says. Only the parsed copy WeasyPrint reads is changed, never the chart.
    """
    for svg in root.iter(f"{SVG}svg"):
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        if title is None or desc is None or not (desc.text or "").strip():
            continue
        words = " ".join((title.text or "").split())
        description = " ".join(desc.text.split())
        title.text = f"{words}. {description}" if words else description
