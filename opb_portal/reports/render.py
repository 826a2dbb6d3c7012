"""
A report as HTML (its page and its print), as a PDF and as a Word document.

The templates escape every word a person wrote: nothing here marks text safe. The PDF is
written by the portal's one PDF path (`boardpack.render.pdf_from_html`), the Word file by
its one Word writer (`documents.word.docx_from_html`), both from the same print HTML, so
the three say the same.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from opb_portal.boardpack.render import Rendered, pdf_from_html

from .selectors import Document


def _w3c(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def print_html(document: Document, *, generated_at: datetime.datetime | None = None) -> str:
    """The report in the council's layout (heading, date, front matter, numbered sections)."""
    generated_at = generated_at or timezone.now()
    return render_to_string(
        "reports/report_print.html",
        {"document": document, "report": document.report, "created": _w3c(generated_at)},
    )


def report_pdf(document: Document, *, generated_at: datetime.datetime) -> Rendered:
    identifier = f"opb-report-{document.report.pk}-{generated_at:%Y%m%dT%H%M%S}"
    return pdf_from_html(print_html(document, generated_at=generated_at), identifier=identifier)


def report_docx(document: Document) -> bytes:
    """
    The report as a Word document, for the council to edit its final text in Word. A final
    report's file is dated when it was made final, so every download of it is the same bytes.
    """
    from opb_portal.documents.word import docx_from_html

    final = document.final
    created = final.made_final_at if final is not None else timezone.now()
    html = print_html(document, generated_at=created)
    return docx_from_html(html, title=document.report.title, created=created)
