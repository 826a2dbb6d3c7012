"""
Turning a pack (or the annual review) into HTML and a PDF with WeasyPrint.

WeasyPrint fetches whatever a document points at: stylesheets, images, and the
files a `<link rel="attachment">` names. User text is escaped by the templates,
so it never becomes markup; as a second line of defence the fetcher serves only
the portal's own static files and `data:` URLs and refuses everything else
(`file:`, `http:`, a path that climbs out of the static directories), and the
PDF is written with no attachments whatever the document asked for.

An issued pack is written deterministically: a fixed PDF identifier and the
issue time as its creation date, so rendering the same pack twice gives the same
bytes. The stored file is what is served, so nothing is re-rendered on download.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .selectors import AnnualReview, Pack, Part

# Relative URLs in the print templates resolve against this origin, which exists
# nowhere (.invalid never resolves): the fetcher maps it to the static files.
ORIGIN = "https://portal.invalid/"
PARTNERSHIP = "Sandwell Council and Sandwell Children's Trust"
DRAFT_BAND = "DRAFT: includes unapproved figures"

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


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    sha256: str
    fetcher: PortalFetcher = field(repr=False)


def pdf_from_html(html: str, *, identifier: str) -> Rendered:
    """A PDF of `html`: only static files fetched, no attachments, a fixed file identifier."""
    fetcher = PortalFetcher()
    document = HTML(string=html, base_url=ORIGIN, url_fetcher=fetcher).render()
    # Whatever a <link rel="attachment"> asked for, the pack carries no files.
    document.metadata.attachments = []
    pdf = document.write_pdf(pdf_identifier=identifier.encode("ascii"))
    return Rendered(pdf, len(document.pages), hashlib.sha256(pdf).hexdigest(), fetcher)


# --- the board pack ------------------------------------------------------------------------


def rendered_parts(parts: list[Part], *, annual: bool = False) -> list[tuple[Part, str]]:
    """Each section's template rendered with the context its build gave, and nothing else."""
    found = []
    for part in parts:
        template = part.section.annual_template if annual else part.section.template
        # The template escaped every value: what comes back is markup (a SafeString) to place
        # as it is. Nothing here marks text safe, so nothing unescaped can get through.
        found.append((part, render_to_string(template, part.context)))
    return found


def pack_html(pack: Pack) -> str:
    return render_to_string(
        "boardpack/pack.html",
        {
            "pack": pack,
            "parts": rendered_parts(pack.parts),
            "partnership": PARTNERSHIP,
            "draft_band": DRAFT_BAND,
            "created": _w3c(pack.generated_at),
        },
    )


def render_pack(pack: Pack) -> Rendered:
    """The pack as a PDF; an issue's identifier names its meeting and number."""
    meeting = pack.meeting.date.isoformat() if pack.meeting else "none"
    number = pack.number if pack.number is not None else "preview"
    identifier = f"opb-pack-{pack.period.iso}-{meeting}-{number}"
    return pdf_from_html(pack_html(pack), identifier=identifier)


# --- the annual review ------------------------------------------------------------------------


def annual_context(review: AnnualReview, generated_at: datetime.datetime) -> dict:
    return {
        "review": review,
        "parts": rendered_parts(review.parts, annual=True),
        "partnership": PARTNERSHIP,
        "generated_at": generated_at,
        "created": _w3c(generated_at),
    }


def render_annual_review(review: AnnualReview, generated_at: datetime.datetime) -> Rendered:
    html = render_to_string(
        "boardpack/annual_review_print.html", annual_context(review, generated_at)
    )
    return pdf_from_html(html, identifier=f"opb-annual-review-{review.year.label}")


def _w3c(moment: datetime.datetime) -> str:
    """The PDF's creation date, in UTC to the second: the same issue always gives the same bytes."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
