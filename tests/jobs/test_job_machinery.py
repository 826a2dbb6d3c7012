"""
The job machinery without a broker: a job asked for in a request runs when the request
commits, two requests for the same inputs make one job, a done job's kept result is served
again, and refusals, crashes and killed workers leave a clear state.
"""

import hashlib
import json

import pytest
from django.db import transaction
from django.urls import reverse

from opb_portal.accounts.permissions import Action
from opb_portal.accounts.roles import Role
from opb_portal.jobs import registry, services
from opb_portal.jobs.models import Job
from opb_portal.jobs.registry import JobKind, JobRefused, Outcome

RUNS: list[dict] = []


def _fingerprint(params: dict) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


def _run(job: Job, progress) -> Outcome:
    RUNS.append(job.params)
    if job.params.get("refuse"):
        raise JobRefused("There are no approved returns for March 2025.")
    if job.params.get("crash"):
        raise RuntimeError("a fault in the code")
    for page in range(1, 4):
        progress(page, 3, f"Rendering the test document: page {page} of 3")
    return Outcome(
        content=b"%PDF-1.7 test",
        filename="test.pdf",
        content_type="application/pdf",
        message="The test document is ready.",
    )


registry.register(
    JobKind(
        name="tests.document",
        title=lambda params: f"Test document {params.get('n', '')}",
        run=_run,
        fingerprint=_fingerprint,
        view_action=Action.VIEW_PACKS,
    )
)


@pytest.fixture(autouse=True)
def _forget_runs():
    RUNS.clear()


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    def ask(params, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_request(kind="tests.document", params=params, user=user)
        job.refresh_from_db()
        return job

    return ask


def test_a_job_asked_for_runs_when_the_request_commits_and_keeps_its_result(db, ask, settings):
    job = ask({"n": 1})

    assert job.state == Job.State.DONE
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.attempts == 1
    assert (settings.JOB_ROOT / job.result_file).read_bytes() == b"%PDF-1.7 test"
    assert job.result_message == "The test document is ready."


def _ask_in_a_request_that_fails():
    with transaction.atomic():
        services.job_request(kind="tests.document", params={"n": 2}, user=None)
        raise RuntimeError("the request failed")


def test_no_job_runs_for_a_request_that_rolled_back(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _ask_in_a_request_that_fails()

    assert callbacks == []
    assert not Job.objects.exists()
    assert RUNS == []


def test_asking_twice_for_the_same_inputs_runs_once_and_serves_the_kept_result(db, ask):
    first = ask({"n": 3})
    second = ask({"n": 3})

    assert second.pk == first.pk
    assert RUNS == [{"n": 3}]


def test_two_people_asking_at_once_share_one_queued_job(db, people):
    first = services.job_request(kind="tests.document", params={"n": 4}, user=people["reviewer"])
    second = services.job_request(
        kind="tests.document", params={"n": 4}, user=people["board_member"]
    )

    assert second.pk == first.pk
    assert Job.objects.count() == 1


def test_other_inputs_make_another_job(db, ask):
    assert ask({"n": 5}).pk != ask({"n": 6}).pk
    assert len(RUNS) == 2


def test_a_kept_result_that_was_removed_is_made_again(db, ask):
    first = ask({"n": 7})
    services.result_path(first).unlink()

    second = ask({"n": 7})

    assert second.pk != first.pk
    assert second.state == Job.State.DONE
    assert len(RUNS) == 2


def test_a_refused_job_fails_with_the_reason_and_is_not_reused(db, ask):
    job = ask({"refuse": True})

    assert job.state == Job.State.FAILED
    assert job.error == "There are no approved returns for March 2025."
    assert ask({"refuse": True}).pk != job.pk


def test_a_job_that_crashes_fails_without_showing_the_exception(db, ask, caplog):
    job = ask({"crash": True})

    assert job.state == Job.State.FAILED
    assert "fault in the code" not in job.error
    assert "log" in job.error
    assert "a fault in the code" in caplog.text


def test_a_job_delivered_again_after_it_finished_is_not_run_again(db, ask):
    job = ask({"n": 8})

    services.job_run(job_id=job.pk)

    assert RUNS == [{"n": 8}]
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_whose_worker_died_three_times_is_stopped_with_a_reason(db):
    job = services.job_request(kind="tests.document", params={"n": 9}, user=None)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=services.MAX_ATTEMPTS)

    services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "3 attempts" in job.error
    assert RUNS == []


def test_a_running_job_whose_worker_died_runs_again_and_counts_the_attempt(db):
    job = services.job_request(kind="tests.document", params={"n": 10}, user=None)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1)

    services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.BOARD_MEMBER, 200, id="board member may see a pack's job"),
        pytest.param(Role.REVIEWER, 200, id="reviewer may see a pack's job"),
        pytest.param("kpi_submitter", 403, id="submitter may not"),
        pytest.param("none", 403, id="no role may not"),
    ],
)
def test_a_jobs_page_and_result_follow_the_kinds_permission(db, ask, client, people, role, status):
    job = ask({"n": 11})
    client.force_login(people[role])

    page = client.get(reverse("jobs:job", args=[job.pk]))
    result = client.get(reverse("jobs:result", args=[job.pk]))

    assert page.status_code == status
    assert result.status_code == status
    if status == 200:
        assert b"The test document is ready." in page.content
        assert b"".join(result.streaming_content) == b"%PDF-1.7 test"


def test_the_progress_block_sends_htmx_to_the_result_when_done(db, ask, client, reviewer):
    job = ask({"n": 12})
    client.force_login(reviewer)

    response = client.get(reverse("jobs:progress", args=[job.pk]), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("jobs:result", args=[job.pk])


def test_a_running_jobs_page_polls_and_says_how_far_it_has_got(db, client, reviewer):
    job = services.job_request(kind="tests.document", params={"n": 13}, user=reviewer)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        progress_done=7,
        progress_total=19,
        progress_message="Rendering the board pack: page 7 of 19",
    )
    client.force_login(reviewer)

    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()

    assert "Rendering the board pack: page 7 of 19 (37%)" in page
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh" content="3">' in page


def test_stale_queued_jobs_are_sent_again(db, settings):
    job = services.job_request(kind="tests.document", params={"n": 14}, user=None)
    Job.objects.filter(pk=job.pk).update(requested_at=job.requested_at.replace(year=2020))

    assert services.requeue_stale() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE
