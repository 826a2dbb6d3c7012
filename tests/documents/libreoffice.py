"""
LibreOffice Writer, for the tests that open the portal's Word files as another program would.

`pdf_of_docx(data)` has `soffice --headless` convert a .docx to PDF in a directory of its own,
with a profile of its own (parallel test processes must not share one), and `pdf_text` reads
the PDF's words back with `pdftotext`. Used by the documents, annual review and reports tests.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

SOFFICE = "/usr/bin/soffice"
TIMEOUT = 120  # seconds: the first start of a fresh profile is the slow part


def pdf_of_docx(data: bytes) -> bytes:
    """The .docx as LibreOffice Writer opens it, converted to PDF."""
    with tempfile.TemporaryDirectory(prefix="opb-soffice-") as folder:
        here = Path(folder)
        source = here / "document.docx"
        source.write_bytes(data)
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={(here / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(here),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
        converted = here / "document.pdf"
        if not converted.exists():
            raise AssertionError("LibreOffice did not convert the document to PDF")
        return converted.read_bytes()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, as `pdftotext` reads it (reading order, no layout)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        ).stdout


def text_of_docx(data: bytes) -> str:
    """What a reader sees of a .docx opened in LibreOffice: the text of its PDF."""
    return pdf_text(pdf_of_docx(data))
