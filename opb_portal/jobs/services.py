"""Asking for a job, running it once, and keeping its result."""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import queue, registry
from .models import Job
from .registry import JobRefused, Outcome

logger = logging.getLogger(__name__)

# A job whose worker died this many times is not started again: something in it kills workers.
MAX_ATTEMPTS = 3


def result_path(job: Job) -> Path:
    return Path(settings.JOB_ROOT) / job.result_file


def _reusable(kind: registry.JobKind, fingerprint: str) -> Job | None:
    """The job already asked for these inputs: still going, or done with its result kept."""
    same = Job.objects.filter(kind=kind.name, fingerprint=fingerprint)
    active = same.filter(state__in=Job.ACTIVE).first()
    if active is not None or not kind.reuse_result:
        return active
    done = same.filter(state=Job.State.DONE).order_by("-finished_at").first()
    if done is None or (done.result_file and not result_path(done).is_file()):
        return None
    if kind.still_stands is not None and not kind.still_stands(done):
        return None
    return done


def job_find(*, kind: str, params: dict) -> Job | None:
    """
    The job already asked for `kind` over `params` (still going, or done with its result
    kept), without asking for one: for a link or a bookmark, which must not start work.
    """
    job_kind = registry.kind(kind)
    return _reusable(job_kind, job_kind.fingerprint(params))


def job_request(*, kind: str, params: dict, user) -> Job:
    """
    The job for `kind` over `params`: the one already asked for with the same fingerprint
    (so two clicks, or two people, make one), or a new one queued when this request commits.
    """
    job_kind = registry.kind(kind)
    fingerprint = job_kind.fingerprint(params)
    existing = _reusable(job_kind, fingerprint)
    if existing is not None:
        return existing
    job = Job(
        kind=kind,
        params=params,
        fingerprint=fingerprint,
        title=job_kind.title(params)[:200],
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    job.full_clean()
    try:
        with transaction.atomic():
            job.save(force_insert=True)
    except IntegrityError:
        # Another request queued the same work between our read and our write.
        return Job.objects.get(kind=kind, fingerprint=fingerprint, state__in=Job.ACTIVE)
    queue.enqueue(job)
    return job


def job_run_in_process(job: Job) -> Job:
    """
    Without a broker, do a queued job now, in the request that asked for it, so the person
    lands on its result with no page between (an upload's check: the same clicks as before
    jobs). With a broker, or a job already done, the job is returned as it is. The commit's
    own run (`queue.enqueue`) then finds it done and leaves it alone.
    """
    if not queue.in_process() or job.state != Job.State.QUEUED:
        return job
    return job_run(job_id=job.pk) or job


class RowProgress(registry.Progress):
    """Progress written straight to the job's row, where the job's page reads it."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, done: int, total: int, message: str = "") -> None:
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=max(0, done), progress_total=max(0, total), progress_message=message[:200]
        )


def _start(job_id) -> Job | None:
    """Mark the job running, once more; None when there is nothing (more) to do."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (Job.State.DONE, Job.State.FAILED):
            return None
        if job.attempts >= MAX_ATTEMPTS:
            job.state = Job.State.FAILED
            job.error = f"Stopped after {job.attempts} attempts: each time its worker stopped."
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "error", "finished_at"])
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
        return job


def job_run(*, job_id) -> Job | None:
    """
    Do the job's work (the worker's task, or in-process without a broker), once.

    A job already done or failed is left alone, so a message the queue delivers again
    after a worker died does nothing more than finish what the first run did not.
    """
    job = _start(job_id)
    if job is None:
        return Job.objects.filter(pk=job_id).first()
    job_kind = registry.kind(job.kind)
    try:
        outcome = job_kind.run(job, RowProgress(job))
    except JobRefused as refused:
        return _fail(job, refused.message)
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        return _fail(job, "It could not be finished; the error is in the portal's log.")
    return _finish(job, outcome)


def _fail(job: Job, message: str) -> Job:
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, error=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _keep(job: Job, outcome: Outcome) -> str:
    """Write the result under JOB_ROOT by the job's id: all at once, so never half a file."""
    if outcome.content is None:
        return ""
    root = Path(settings.JOB_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    suffix = Path(outcome.filename).suffix
    name = f"{job.pk}{suffix}"
    with tempfile.NamedTemporaryFile(dir=root, delete=False, prefix=".part-") as part:
        part.write(outcome.content)
    os.replace(part.name, root / name)
    return name


def _finish(job: Job, outcome: Outcome) -> Job:
    stored = _keep(job, outcome)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE,
        finished_at=timezone.now(),
        progress_done=F("progress_total"),
        result_file=stored,
        result_filename=outcome.filename[:200],
        result_content_type=outcome.content_type[:100],
        result_url=outcome.url[:500],
        result_message=outcome.message[:500],
    )
    job.refresh_from_db()
    return job


def requeue_stale(*, older_than_seconds: int = 120) -> int:
    """
    Send again the jobs still queued after `older_than_seconds` (the broker was down when
    they were asked for, or lost its messages on a restart). Returns how many were sent: while
    the broker is still down, none, and the jobs stay queued for the next try.
    """
    since = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    stale = list(Job.objects.filter(state=Job.State.QUEUED, requested_at__lt=since))
    sent = 0
    for job in stale:
        try:
            queue.send(job)
        except Exception as error:  # kombu raises the transport's own errors
            logger.warning("Queued jobs not sent again, the broker is unreachable: %s", error)
            break
        sent += 1
    return sent
