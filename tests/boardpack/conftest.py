"""Fixtures for the board pack: the demonstration meeting, returns in each state, PDF text."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

import pytest

from opb_portal.accounts.models import Organisation, User
from opb_portal.boardpack import render
from opb_portal.boardpack.demo import load_demo_meetings
from opb_portal.boardpack.pdf import PortalFetcher
from opb_portal.periods import Period
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion

MARCH = Period(2025, 3)
APRIL = Period(2025, 4)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def meeting(demo):
    """The demonstration's meeting: 17 April 2025, on March 2025, chaired by `board`."""
    return load_demo_meetings()


@pytest.fixture
def chair(meeting):
    return meeting.chair


NOT_RENDERED = b"%PDF-1.7\n% Not rendered: this test is about who may have it.\n%%EOF\n"


def pdfs_not_rendered(monkeypatch) -> None:
    """
    Every PDF is a placeholder from here on in the test: for tests of who may fetch a document,
    which need its pages built (the same queries, the same templates) but not WeasyPrint's work.
    """

    def placeholder(html: str, *, identifier: str, **progress) -> render.Rendered:
        digest = hashlib.sha256(NOT_RENDERED).hexdigest()
        return render.Rendered(NOT_RENDERED, 1, digest, PortalFetcher())

    monkeypatch.setattr(render, "pdf_from_html", placeholder)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext lays it out."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def submitted_return(period: Period, *, like: Period = MARCH, changes=None) -> Return:
    """
    A KPI return for `period` sent to the council and not yet approved: the figures of
    `like` with `changes` ({code: value}) applied, as the Trust's submitter would send them.
    """
    trust = Organisation.objects.get(kind=Organisation.Kind.TRUST)
    submitter = User.objects.get(username="kpi.submitter")
    source = Return.objects.get(domain="kpis", period=like.first_day).approved_version.data
    data = {code: dict(fields) for code, fields in source.items()}
    for code, value in (changes or {}).items():
        data[code].update(value=value, numerator="", denominator="")
    ret, _ = Return.objects.get_or_create(
        organisation=trust, domain="kpis", period=period.first_day
    )
    number = ret.versions.count() + 1
    version = ReturnVersion.objects.create(
        ret=ret, number=number, data=data, source="form", created_by=submitter, reason="test"
    )
    previous = ret.status
    ret.current_version = version
    ret.status = Return.Status.SUBMITTED
    ret.save()
    ReturnEvent.objects.create(
        ret=ret,
        version=version,
        action=ReturnEvent.Action.SUBMITTED,
        from_status=previous,
        to_status=Return.Status.SUBMITTED,
        user=submitter,
    )
    return ret


def approve(ret: Return) -> None:
    """The council's reviewer approves the return through the real service."""
    from opb_portal.submissions import services

    services.return_approve(ret=ret, user=User.objects.get(username="reviewer"))


def page_headed(pages: list[str], heading: str) -> str:
    """The page on which `heading` stands on a line of its own (not the contents entry)."""
    return next(
        page for page in pages if any(line.strip() == heading for line in page.splitlines())
    )


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks as one space: PDF text wraps anywhere."""
    return " ".join(text.split())


def pages_between(pages: list[str], title: str, next_title: str) -> str:
    """The text from the page `title` starts on up to the page `next_title` starts on."""
    start = pages.index(page_headed(pages, title))
    end = pages.index(page_headed(pages, next_title))
    return "\n".join(pages[start:end])
