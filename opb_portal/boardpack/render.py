"""
Turning a pack (or the annual review) into HTML, and that HTML into a PDF (`pdf`).

User text is escaped by the templates, so it never becomes markup; `pdf` writes the
document with WeasyPrint, fetching nothing but the portal's own static files.

An issued pack is written deterministically: a fixed PDF identifier and the
issue time as its creation date, so rendering the same pack twice gives the same
bytes. The stored file is what is served, so nothing is re-rendered on download.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from .selectors import AnnualReview, Pack, Part

if TYPE_CHECKING:
    from .pdf import PortalFetcher

# `progress(done, total, message)`, as a background job's work is given it
# (opb_portal.jobs.registry.Progress): how far a rendering has got, for the person waiting.
Progress = Callable[[int, int, str], None]

PARTNERSHIP = "Sandwell Council and Sandwell Children's Trust"
DRAFT_BAND = "DRAFT: includes unapproved figures"


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    sha256: str
    fetcher: PortalFetcher = field(repr=False)


def pdf_from_html(html: str, *, identifier: str) -> Rendered:
    """A PDF of `html`: only static files fetched, no attachments, a fixed file identifier."""
    # WeasyPrint is imported here, where a PDF is made, never at start-up: importing it
    # would cost every process and every manage.py command a good part of a second
    # (tests/boardpack/test_weasyprint_is_lazy.py).
    from . import pdf

    return pdf.write_pdf(html, identifier=identifier)


# --- the board pack ------------------------------------------------------------------------


def rendered_parts(
    parts: list[Part], *, annual: bool = False, progress: Progress | None = None
) -> list[tuple[Part, str]]:
    """Each section's template rendered with the context its build gave, and nothing else."""
    found = []
    for number, part in enumerate(parts, start=1):
        if progress is not None:
            progress(number, len(parts), f"Gathering the figures: section {number} of {len(parts)}")
        template = part.section.annual_template if annual else part.section.template
        # The template escaped every value: what comes back is markup (a SafeString) to place
        # as it is. Nothing here marks text safe, so nothing unescaped can get through. A
        # narrative section of the annual review may have no template: its text is all it says.
        found.append((part, render_to_string(template, part.context) if template else ""))
    return found


def pack_html(pack: Pack, *, progress: Progress | None = None) -> str:
    return render_to_string(
        "boardpack/pack.html",
        {
            "pack": pack,
            "parts": rendered_parts(pack.parts, progress=progress),
            "partnership": PARTNERSHIP,
            "draft_band": DRAFT_BAND,
            "created": _w3c(pack.generated_at),
        },
    )


def render_pack(
    pack: Pack, *, progress: Progress | None = None, pages_expected: int = 0
) -> Rendered:
    """
    The pack as a PDF; an issue's identifier names its meeting and number.

    With `progress`, says how far it has got: each section gathered, then each page laid
    out ("Rendering the board pack: page 7 of about 19", the total being `pages_expected`,
    an earlier rendering's count, when there is one).
    """
    meeting = pack.meeting.date.isoformat() if pack.meeting else "none"
    number = pack.number if pack.number is not None else "preview"
    identifier = f"opb-pack-{pack.period.iso}-{meeting}-{number}"
    html = pack_html(pack, progress=progress)
    if progress is None:
        return pdf_from_html(html, identifier=identifier)
    with pages_progress(progress, about=pages_expected, saying="Rendering the board pack"):
        rendered = pdf_from_html(html, identifier=identifier)
    progress(rendered.pages, rendered.pages, f"Rendered the board pack: {rendered.pages} pages")
    return rendered


# --- how far WeasyPrint has got ---------------------------------------------------------------

# WeasyPrint 70 logs each page it lays out to this logger at INFO, with the page's number as
# the record's one argument (weasyprint/layout/page.py), then "Step 6 - Creating PDF".
WEASYPRINT_PROGRESS = "weasyprint.progress"
LAYOUT_PAGE = "Step 5 - Creating layout - Page %d"
WRITING_PDF = "Step 6 - Creating PDF"
_ON_PROGRESS: ContextVar[Callable[[logging.LogRecord], None] | None] = ContextVar(
    "boardpack_weasyprint_progress", default=None
)
_installed = threading.Lock()


class _ProgressRecords(logging.Handler):
    """Hands WeasyPrint's progress records to whoever is rendering in this context."""

    def emit(self, record: logging.LogRecord) -> None:
        listener = _ON_PROGRESS.get()
        if listener is not None:
            listener(record)


def _listen_to_weasyprint() -> None:
    """Once per process: WeasyPrint's INFO progress records reach our handler, and only it."""
    with _installed:
        logger = logging.getLogger(WEASYPRINT_PROGRESS)
        if any(isinstance(handler, _ProgressRecords) for handler in logger.handlers):
            return
        logger.addHandler(_ProgressRecords())
        logger.setLevel(logging.INFO)
        # Chatter for a progress bar, not for the portal's log.
        logger.propagate = False


@contextlib.contextmanager
def _pages_laid_out(listener: Callable[[logging.LogRecord], None]) -> Iterator[None]:
    _listen_to_weasyprint()
    token = _ON_PROGRESS.set(listener)
    try:
        yield
    finally:
        _ON_PROGRESS.reset(token)


@contextlib.contextmanager
def pages_progress(
    progress: Progress, *, before: int = 0, about: int = 0, saying: str = "Laying out the PDF"
) -> Iterator[None]:
    """
    A job's progress while WeasyPrint lays out a document: "Rendering the board pack: page 7
    of about 19", counted after the `before` steps already done; `about` is the pages
    expected (the last time it was made; 0: no total, the bar only says that it moves).
    Pages laid out again (WeasyPrint repaginates for page counters) do not move the bar back.
    """
    furthest = 0

    def listen(record: logging.LogRecord) -> None:
        nonlocal furthest
        if record.msg == WRITING_PDF:
            done = before + furthest
            progress(done, done, f"Writing the PDF: {furthest} pages")
            return
        if record.msg != LAYOUT_PAGE or not record.args or int(record.args[0]) <= furthest:
            return
        furthest = int(record.args[0])
        pages = max(about, furthest) if about else 0
        of = f" of about {pages}" if pages else ""
        progress(
            before + furthest, before + pages if pages else 0, f"{saying}: page {furthest}{of}"
        )

    with _pages_laid_out(listen):
        yield


# --- the annual review ------------------------------------------------------------------------


def annual_context(review: AnnualReview, generated_at: datetime.datetime) -> dict:
    return {
        "review": review,
        **annual_parts(review),
        "partnership": PARTNERSHIP,
        "generated_at": generated_at,
        "created": _w3c(generated_at),
    }


def annual_parts(review: AnnualReview) -> dict:
    """The review's parts rendered: `front` (before the Introduction) and `lettered` ((a)-(k))."""
    return {
        "front": rendered_parts(review.front_parts, annual=True),
        "lettered": rendered_parts(review.lettered_parts, annual=True),
    }


def annual_html(review: AnnualReview, generated_at: datetime.datetime) -> str:
    """The review as one printable document: the HTML its PDF and its Word document are made of."""
    return render_to_string(
        "boardpack/annual_review_print.html", annual_context(review, generated_at)
    )


def render_annual_review(review: AnnualReview, generated_at: datetime.datetime) -> Rendered:
    draft = review.circulating.number if review.circulating else "now"
    identifier = f"opb-annual-review-{review.year.label}-{draft}"
    return pdf_from_html(annual_html(review, generated_at), identifier=identifier)


def annual_title(review: AnnualReview) -> str:
    return f"Annual review {review.year}"


def annual_docx(review: AnnualReview, generated_at: datetime.datetime) -> bytes:
    """The review as a Word document, from the same HTML as its PDF (the Trust edits it in Word)."""
    from opb_portal.documents.word import docx_from_html

    return docx_from_html(
        annual_html(review, generated_at), title=annual_title(review), author=PARTNERSHIP
    )


def _w3c(moment: datetime.datetime) -> str:
    """The PDF's creation date, in UTC to the second: the same issue always gives the same bytes."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
