"""
Turning a pack (or the annual review) into HTML, and that HTML into a PDF (`pdf`).

User text is escaped by the templates, so it never becomes markup; `pdf` writes the
document with WeasyPrint, fetching nothing but the portal's own static files.

An issued pack is written deterministically: a fixed PDF identifier and the
issue time as its creation date, so rendering the same pack twice gives the same
bytes. The stored file is what is served, so nothing is re-rendered on download.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from .selectors import AnnualReview, Pack, Part

if TYPE_CHECKING:
    from .pdf import PortalFetcher

PARTNERSHIP = "Sandwell Council and Sandwell Children's Trust"
DRAFT_BAND = "DRAFT: includes unapproved figures"


# What a long render tells whoever waits for it: progress(done, total, message), as each
# section's pages are prepared, then as WeasyPrint lays the pages out and writes the PDF
# (a background task shows it: "Writing the PDF: 24 pages", step 19 of 20).
Progress = Callable[[int, int, str], None]


def _silent(done: int, total: int, message: str) -> None:
    """No one is waiting: the progress of a render is told to no one."""


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    sha256: str
    fetcher: PortalFetcher = field(repr=False)


def pdf_from_html(
    html: str, *, identifier: str, progress: Progress | None = None, done: int = 0, total: int = 2
) -> Rendered:
    """
    A PDF of `html`: only static files fetched, no attachments, a fixed file identifier.

    `progress`, if given, hears of the layout and the writing as steps `done + 1` and
    `done + 2` of `total` (a caller that prepared the HTML in steps counts those first).
    """
    # WeasyPrint is imported here, where a PDF is made, never at start-up: importing it
    # would cost every process and every manage.py command a good part of a second
    # (tests/boardpack/test_weasyprint_is_lazy.py).
    from . import pdf

    tell = progress or _silent
    return pdf.write_pdf(
        html,
        identifier=identifier,
        laying_out=lambda: tell(done, total, "Laying out the pages"),
        writing=lambda pages: tell(done + 1, total, f"Writing the PDF: {pages} pages"),
        written=lambda pages: tell(total, total, f"Ready: {pages} pages"),
    )


# --- the board pack ------------------------------------------------------------------------


def rendered_parts(
    parts: list[Part], *, annual: bool = False, progress: Progress | None = None, total: int = 0
) -> list[tuple[Part, str]]:
    """Each section's template rendered with the context its build gave, and nothing else."""
    found = []
    for done, part in enumerate(parts):
        if progress is not None:
            progress(done, total or len(parts), f"Preparing {part.section.title}")
        template = part.section.annual_template if annual else part.section.template
        # The template escaped every value: what comes back is markup (a SafeString) to place
        # as it is. Nothing here marks text safe, so nothing unescaped can get through. A
        # narrative section of the annual review may have no template: its text is all it says.
        found.append((part, render_to_string(template, part.context) if template else ""))
    return found


def pack_html(pack: Pack, *, progress: Progress | None = None, total: int = 0) -> str:
    return render_to_string(
        "boardpack/pack.html",
        {
            "pack": pack,
            "parts": rendered_parts(pack.parts, progress=progress, total=total),
            "partnership": PARTNERSHIP,
            "draft_band": DRAFT_BAND,
            "created": _w3c(pack.generated_at),
        },
    )


def render_pack(pack: Pack, *, progress: Progress | None = None) -> Rendered:
    """
    The pack as a PDF; an issue's identifier names its meeting and number.

    `progress(done, total, message)`, if given, is called as each section is prepared,
    then as the pages are laid out and the PDF written (most of the time is those two).
    """
    meeting = pack.meeting.date.isoformat() if pack.meeting else "none"
    number = pack.number if pack.number is not None else "preview"
    identifier = f"opb-pack-{pack.period.iso}-{meeting}-{number}"
    sections = len(pack.parts)
    total = sections + 2
    html = pack_html(pack, progress=progress, total=total)
    return pdf_from_html(html, identifier=identifier, progress=progress, done=sections, total=total)


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
