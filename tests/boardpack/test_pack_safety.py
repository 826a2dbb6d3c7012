"""
Hostile text in a return cannot make the pack fetch, attach or run anything.

Commentary and comments are typed by people; the pack escapes them and its URL
fetcher serves nothing but the portal's static files and data: URLs.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from pypdf import PdfReader

from kpis.models import KpiValue
from opb_portal.accounts.models import User
from opb_portal.boardpack import render, selectors
from opb_portal.boardpack.pdf import ORIGIN, PortalFetcher
from opb_portal.submissions.models import Comment, Return

from .conftest import MARCH, pdf_pages

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://example.com/tracker.png"> see http://example.com/x',
    '<style>@import url("http://example.com/x.css");</style>',
]


def _static_or_data(url: str) -> bool:
    return url.startswith("data:") or url.startswith(f"{ORIGIN}static/")


@pytest.fixture
def hostile(meeting):
    """PI2 (amber in March 2025, so it has its own page) with hostile commentary and a comment."""
    text = "\n".join(HOSTILE)
    KpiValue.objects.filter(kpi__code="PI2", period=MARCH.first_day).update(commentary=text)
    ret = Return.objects.get(domain="kpis", period=MARCH.first_day)
    Comment.objects.create(
        ret=ret, line="PI2", author=User.objects.get(username="reviewer"), text=text
    )
    return text


def test_hostile_commentary_fetches_nothing_attaches_nothing_and_shows_as_text(hostile, meeting):
    rendered = render.render_pack(selectors.pack_contents(MARCH, meeting=meeting))

    assert rendered.fetcher.refused == []
    assert rendered.fetcher.served
    assert all(map(_static_or_data, rendered.fetcher.served))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert reader.attachments == {}
    text = "".join(pdf_pages(rendered.pdf))
    for line in HOSTILE:
        # Once as the Trust's commentary, once as the reviewer's comment.
        assert text.count(line) >= 2, line


def test_the_pdf_links_to_nothing_outside_itself(hostile, meeting):
    rendered = render.render_pack(selectors.pack_contents(MARCH, meeting=meeting))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            assert action is None or action.get("/S") != "/URI"


def test_markup_that_slipped_through_would_still_fetch_and_attach_nothing():
    # Defence in depth: even unescaped markup cannot reach the file system or the network.
    html = (
        "<html><head>"
        '<link rel="attachment" href="file:///etc/passwd" title="passwd">'
        '<link rel="stylesheet" href="http://example.com/x.css">'
        "</head><body>"
        '<img src="file:///etc/passwd"><img src="http://example.com/t.png">'
        f'<img src="{ORIGIN}static/../../../etc/passwd">'
        f'<link rel="stylesheet" href="{ORIGIN}static/css/pack.css">'
        "<p>text</p></body></html>"
    )
    rendered = render.pdf_from_html(html, identifier="test")

    assert PdfReader(io.BytesIO(rendered.pdf)).attachments == {}
    assert all(map(_static_or_data, rendered.fetcher.served))
    assert f"{ORIGIN}static/css/pack.css" in rendered.fetcher.served
    refused = " ".join(rendered.fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert "http://example.com/t.png" in refused
    assert "etc/passwd" not in " ".join(rendered.fetcher.served)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("file:///etc/passwd", id="a-local-file"),
        pytest.param("http://example.com/x.png", id="the-network"),
        pytest.param("https://portal.invalid/static/../settings.py", id="climbing-out"),
        pytest.param("https://portal.invalid/static/%2e%2e/%2e%2e/etc/passwd", id="encoded-climb"),
        pytest.param("https://portal.invalid/media/x.png", id="outside-static"),
        pytest.param(
            "https://portal.invalid/static/css/nope.css", id="a-static-file-that-does-not-exist"
        ),
    ],
)
def test_the_fetcher_refuses_anything_but_the_static_files(url):
    fetcher = PortalFetcher()
    with pytest.raises(ValueError, match="fetches only the portal's static files"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_pack_stylesheet_and_data_urls():
    fetcher = PortalFetcher()
    css = fetcher.fetch(f"{ORIGIN}static/css/pack.css")
    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.fixture
def collected(settings, tmp_path):
    """Production's static files: collected under hashed names, as `collectstatic` leaves them."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)


def test_under_production_storage_the_pack_finds_its_hashed_stylesheets(collected):
    rendered = render.pdf_from_html(
        f'<link rel="stylesheet" href="{ORIGIN[:-1]}{static("css/pack.css")}"><p>Pack</p>',
        identifier="hashed",
    )
    assert rendered.fetcher.refused == []
    served = " ".join(rendered.fetcher.served)
    assert re.search(r"static/css/pack\.[0-9a-f]{12}\.css", served)
    assert re.search(r"static/css/rag\.[0-9a-f]{12}\.css", served)  # its @import
