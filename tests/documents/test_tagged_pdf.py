"""
Every PDF the portal writes is tagged (PDF/UA-1): not only the pack and the annual review
(tests/boardpack/test_pack_accessibility.py) but any document sent through the one PDF
writer, such as the reports to Scrutiny and Cabinet.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from opb_portal.boardpack import render

REPORT = """<!doctype html><html lang="en-GB"><head><title>Scrutiny Board update</title></head>
<body><h1>Scrutiny Board update</h1><p>The contract sum is £80.8m.</p>
<table><thead><tr><th scope="col">Month</th><th scope="col">Cost</th></tr></thead>
<tbody><tr><td>December 2024</td><td>£6,701</td></tr></tbody></table></body></html>"""


def _kinds(node) -> list[str]:
    node = node.get_object()
    kids = node.get("/K", [])
    found = [str(node["/S"])] if "/S" in node else []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            found += _kinds(kid)
    return found


def test_any_document_through_the_pdf_writer_is_tagged():
    pdf = render.pdf_from_html(REPORT, identifier="opb-report-test").pdf
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    kinds = _kinds(catalog["/StructTreeRoot"])
    for kind in ("/Document", "/H1", "/P", "/Table", "/TH", "/TD"):
        assert kind in kinds


def test_a_tagged_pdf_is_the_same_bytes_every_time():
    first = render.pdf_from_html(REPORT, identifier="opb-report-test").pdf
    assert render.pdf_from_html(REPORT, identifier="opb-report-test").pdf == first
