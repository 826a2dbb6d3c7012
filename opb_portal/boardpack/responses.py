"""
How a PDF leaves the portal: one response for a PDF made now, one for a document kept frozen
with its SHA-256 (an issued pack, a circulated draft, a frozen annual review, a final report),
served as stored and refused if the file no longer matches.
"""

from __future__ import annotations

import base64
import hashlib
import logging

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from .models import PackTampered, StoredPdf

PDF = "application/pdf"
# The name the logs have always given a damaged stored file (operators filter on it).
logger = logging.getLogger("opb_portal.boardpack.views")


def pdf_response(data: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


def stored_pdf_response(document: StoredPdf) -> HttpResponse:
    """A frozen PDF as stored, or a refusal: missing (404) or no longer its SHA-256 (500)."""
    try:
        data = document.read()
    except FileNotFoundError as exc:
        raise Http404(f"The stored {document.noun} is missing: tell an administrator.") from exc
    except PackTampered:
        logger.error("Stored %s %s no longer matches its SHA-256", document.noun, document.pk)
        return HttpResponse(
            f"The stored {document.noun} no longer matches what was {document.made}: "
            "tell an administrator.",
            status=500,
            content_type="text/plain",
        )
    response = pdf_response(data, document.filename, attachment=True)
    response["ETag"] = f'"{document.sha256}"'
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    response["Cache-Control"] = "private"
    return response
