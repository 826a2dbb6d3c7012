"""
The fingerprint of a document made as a job: the SHA-256 of the HTML it is written from.

A document's HTML is everything its PDF and its Word file say: the figures each section
read, the text versions people kept, the layout, the notes of sources. So two requests whose
HTML is the same would get the same document, and any edit, approval or change of layout
gives another fingerprint, with no list of inputs to keep in step with the sections that
read them. The moment a document is made is printed on it; for the fingerprint the HTML is
written at `MOMENT` instead, so that "now" does not make every request a new document.
`version` names the code that turns the HTML into a file (the PDF writer, the Word
writer): raise it when the same HTML would give a different file.
"""

from __future__ import annotations

import datetime
import hashlib

# Stands for "now" in HTML written to be fingerprinted, never printed on a document.
MOMENT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def html_fingerprint(html: str, *, version: str) -> str:
    return hashlib.sha256(f"{version}\n{html}".encode()).hexdigest()
