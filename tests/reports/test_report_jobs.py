"""
A report's PDF and Word document, and making it final, as jobs run in-process: the kept file
is the document, the same report twice is one job, an edited section makes another, a GET
never makes a job, and a make-final job run again after its worker stopped keeps one final.
"""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from opb_portal.accounts.models import Role
from opb_portal.jobs import registry, services
from opb_portal.jobs.models import Job
from opb_portal.reports import jobs as report_jobs
from opb_portal.reports.models import FinalReport
from opb_portal.reports.services import report_text_save

from ..documents import readback


@pytest.fixture
def reviewer_client(people) -> Client:
    client = Client()
    client.force_login(people[Role.REVIEWER])
    return client


@pytest.fixture
def ask(reviewer_client, django_capture_on_commit_callbacks):
    """POST to a document's address as a reviewer; the job runs when the request commits."""

    def ask(url: str) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = reviewer_client.post(url)
        assert response.status_code == 302
        job = Job.objects.get(pk=response["Location"].split("/")[2])
        assert response["Location"] == f"/jobs/{job.pk}/"
        return job

    return ask


def _pdf_text(job: Job) -> str:
    data = services.result_path(job).read_bytes()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_get_of_a_drafts_pdf_asks_nothing_and_offers_to_prepare_it(report, reviewer_client):
    response = reviewer_client.get(f"/reports/{report.pk}.pdf")

    assert response.status_code == 200
    assert b"Prepare PDF" in response.content
    assert f'action="/reports/{report.pk}.pdf"'.encode() in response.content
    assert not Job.objects.exists()


def test_the_pdf_job_keeps_the_report_and_a_second_ask_is_the_same_job(
    report, ask, reviewer_client
):
    job = ask(f"/reports/{report.pk}.pdf")
    job.refresh_from_db()

    assert job.state == Job.State.DONE
    assert job.result_filename == f"report-{report.pk}-draft.pdf"
    text = _pdf_text(job)
    assert "Performance update, March 2025" in text
    assert "That the Board notes the Trust's performance." in text
    assert ask(f"/reports/{report.pk}.pdf").pk == job.pk
    # The link now goes straight to the kept file.
    response = reviewer_client.get(f"/reports/{report.pk}.pdf")
    assert response["Location"] == f"/jobs/{job.pk}/result/"
    assert Job.objects.count() == 1


def test_an_edited_section_makes_a_new_pdf_job(report, ask, people, reviewer_client):
    first = ask(f"/reports/{report.pk}.pdf")
    report_text_save(
        report=report, position=1, body="That the Board notes the new figures.", based_on=1,
        user=people[Role.REVIEWER],
    )  # fmt: skip

    assert reviewer_client.get(f"/reports/{report.pk}.pdf").status_code == 200
    second = ask(f"/reports/{report.pk}.pdf")

    assert second.pk != first.pk
    assert "That the Board notes the new figures." in _pdf_text(second)


def test_the_word_job_keeps_the_report_as_a_word_document(report, ask):
    job = ask(f"/reports/{report.pk}.docx")
    job.refresh_from_db()

    assert job.state == Job.State.DONE
    assert job.result_filename == f"report-{report.pk}-draft.docx"
    said = [text for _, text in readback.blocks(services.result_path(job).read_bytes())]
    assert "1 Recommendations" in said
    assert "That the Board notes the Trust's performance." in said


def test_the_pdf_job_says_what_it_reads_and_each_page_as_it_goes(report):
    job = Job(kind=report_jobs.PDF_KIND, params=report_jobs.params(report))
    heard: list[str] = []

    registry.kind(report_jobs.PDF_KIND).run(job, lambda done, total, said: heard.append(said))

    assert heard[:2] == ["Reading the figures at the report's date", "Writing its 2 sections"]
    assert any(said.startswith("Laying out the PDF: page 1 of about") for said in heard)


def test_making_final_is_a_job_that_keeps_one_final_even_when_run_again(report, ask):
    job = ask(f"/reports/{report.pk}/final/")
    job.refresh_from_db()

    assert job.state == Job.State.DONE
    assert job.result_url == f"/reports/{report.pk}/"
    final = FinalReport.objects.get(report=report)
    assert f"SHA-256 {final.sha256[:16]}" in job.result_message
    # Its worker stopped after the final was kept, before the job was marked done.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    again = services.job_run(job_id=job.pk)

    assert again.state == Job.State.DONE
    assert again.attempts == 2
    assert FinalReport.objects.filter(report=report).count() == 1
    assert again.result_message == job.result_message


def test_a_final_reports_pdf_is_its_stored_file_with_no_job(report, ask, reviewer_client):
    ask(f"/reports/{report.pk}/final/")
    Job.objects.all().delete()

    response = reviewer_client.get(f"/reports/{report.pk}.pdf")

    assert response.status_code == 200
    assert response["ETag"] == f'"{FinalReport.objects.get().sha256}"'
    assert not Job.objects.exists()
