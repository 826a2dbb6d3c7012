"""
The annual review as it stands, as a PDF and a Word document, made as jobs run in-process:
the kept file is the review, a GET never makes a job, the same review twice is one job, an
edited section makes another, and the job says which section it drafts and which page it lays
out. Circulated drafts and the frozen review stay stored files (test_annual_review_sign_off).
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from opb_portal.accounts.models import User
from opb_portal.boardpack import annual, annual_jobs
from opb_portal.jobs import registry, services
from opb_portal.jobs.models import Job
from opb_portal.periods import FinancialYear

from ..documents import readback

YEAR = FinancialYear(2024)
PDF, DOCX = "/annual-review/2024-25.pdf", "/annual-review/2024-25.docx"


@pytest.fixture
def board(demo) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="board"))
    return client


@pytest.fixture
def ask(board, django_capture_on_commit_callbacks):
    """POST to the document's address; the job runs in-process when the request commits."""

    def ask(url: str) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = board.post(url)
        job = Job.objects.get(pk=response["Location"].split("/")[2])
        assert response["Location"] == f"/jobs/{job.pk}/"
        job.refresh_from_db()
        return job

    return ask


def test_a_get_offers_to_prepare_the_pdf_and_makes_no_job(board):
    response = board.get(PDF)

    assert response.status_code == 200
    assert b"Prepare PDF" in response.content
    assert f'action="{PDF}"'.encode() in response.content
    assert not Job.objects.exists()


def test_the_pdf_job_keeps_the_review_and_the_same_review_is_the_same_job(board, ask):
    job = ask(PDF)

    assert job.state == Job.State.DONE
    assert job.result_filename == "annual-review-2024-25-draft.pdf"
    data = services.result_path(job).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Executive Summary" in text
    assert f"{len(reader.pages)} pages" in job.result_message
    # Asked again, and opened from its link: the same job and its kept file.
    assert ask(PDF).pk == job.pk
    assert board.get(PDF)["Location"] == f"/jobs/{job.pk}/result/"
    result = board.get(f"/jobs/{job.pk}/result/")
    assert b"".join(result.streaming_content) == data
    # An edited section is another review: the link offers to prepare it again.
    sam = User.objects.get(username="reviewer")
    annual.annual_text_save(
        year=YEAR, key="change-control", text="The changes of the year, in brief.", based_on=0,
        user=sam,
    )  # fmt: skip
    assert board.get(PDF).status_code == 200
    assert Job.objects.count() == 1


def test_the_pdf_job_says_which_section_it_drafts_and_which_page_it_lays_out(demo):
    job = Job(kind=annual_jobs.PDF_KIND, params=annual_jobs.params(YEAR))
    heard: list[tuple[int, int, str]] = []

    outcome = registry.kind(annual_jobs.PDF_KIND).run(job, lambda *step: heard.append(step))

    said = [message for _, _, message in heard]
    assert "Drafting section (f) of 11" in said
    assert "Laying out the PDF: page 7 of about 24" in said
    pages = len(PdfReader(io.BytesIO(outcome.content)).pages)
    assert heard[-1][:2] == (heard[-1][1], heard[-1][1])
    assert any(message.endswith(f"page {pages} of about {max(pages, 24)}") for message in said)
    # Done counts only up: the bar never goes back.
    assert [done for done, _, _ in heard] == sorted(done for done, _, _ in heard)


def test_an_edited_section_makes_a_new_word_job_holding_the_new_text(ask):
    first = ask(DOCX)
    annual.annual_text_save(
        year=YEAR, key="change-control", text="The changes of the year, in brief.", based_on=0,
        user=User.objects.get(username="reviewer"),
    )  # fmt: skip

    second = ask(DOCX)

    assert second.pk != first.pk
    assert second.result_filename == "annual-review-2024-25-draft.docx"
    before = [text for _, text in readback.blocks(services.result_path(first).read_bytes())]
    after = [text for _, text in readback.blocks(services.result_path(second).read_bytes())]
    assert "The changes of the year, in brief." in after
    assert "The changes of the year, in brief." not in before


def test_the_fingerprint_does_not_change_with_the_time_of_asking(demo):
    kind = registry.kind(annual_jobs.PDF_KIND)

    assert kind.fingerprint(annual_jobs.params(YEAR)) == kind.fingerprint(annual_jobs.params(YEAR))
