"""
The board pack's jobs in-process (no broker): a preview kept by the fingerprint of what it
shows, and an issue that its job, run again, does not make twice.
"""

from __future__ import annotations

import pytest

from opb_portal.boardpack import services
from opb_portal.boardpack.models import PackIssue
from opb_portal.jobs import services as job_services
from opb_portal.jobs.models import Job

from .conftest import MARCH, pdfs_not_rendered, submitted_return


@pytest.fixture
def ask(meeting, django_capture_on_commit_callbacks):
    def ask(what):
        with django_capture_on_commit_callbacks(execute=True):
            job = what(meeting=meeting, user=meeting.chair)
        job.refresh_from_db()
        return job

    return ask


def test_the_same_pack_is_previewed_once_and_a_change_makes_a_new_preview(
    meeting, ask, monkeypatch
):
    pdfs_not_rendered(monkeypatch)
    first = ask(services.pack_preview_request)
    assert first.state == Job.State.DONE
    assert ask(services.pack_preview_request).pk == first.pk
    assert services.pack_preview_kept(meeting=meeting).pk == first.pk

    # A correction sent for approval changes what the pack shows (its figures, the draft band).
    submitted_return(MARCH, changes={"PI1": "84.2"})

    assert services.pack_preview_kept(meeting=meeting) is None
    second = ask(services.pack_preview_request)
    assert second.pk != first.pk
    assert "DRAFT band" in second.result_message


def test_an_issue_job_run_again_returns_the_issue_it_made(meeting, ask, issues_render_once):
    job = ask(services.pack_issue_request)
    assert job.state == Job.State.DONE
    # As if its worker died after the issue was written, before the job was marked done.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)

    again = job_services.job_run(job_id=job.pk)

    assert (again.state, again.attempts) == (Job.State.DONE, 2)
    (issue,) = PackIssue.objects.all()
    assert issue.job_id == job.pk
    assert again.result_message.startswith("Issue 1 of the pack is frozen")


def test_two_clicks_on_issue_are_one_job(meeting):
    first = services.pack_issue_request(meeting=meeting, user=meeting.chair)
    second = services.pack_issue_request(meeting=meeting, user=meeting.chair)

    assert second.pk == first.pk
    assert Job.objects.filter(kind="boardpack.issue").count() == 1
