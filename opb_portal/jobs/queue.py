"""
How a job reaches a worker: Celery over the broker in CELERY_BROKER_URL, or, with no
broker (`make demo`, the tests that do not start a worker), in this process once the
request that asked for it has committed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def in_process() -> bool:
    return not settings.CELERY_BROKER_URL


def enqueue(job) -> None:
    """Send the job when the asking transaction commits (never a job for rolled-back work)."""
    # robust: a broker that is down must not turn a committed request into an error page;
    # the job stays queued and `requeue_stale` (every minute, by the scheduler) sends it.
    transaction.on_commit(lambda: send(job), robust=True)


def send(job) -> None:
    if in_process():
        from .services import job_run

        job_run(job_id=job.pk)
        return
    from opb_portal.celery import run_job

    run_job.delay(str(job.pk))


def broker_status() -> tuple[bool, str]:
    """(reachable, what was found): for the readiness check. No broker counts as reachable."""
    if in_process():
        return True, "in-process"
    from opb_portal.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # kombu raises the transport's own errors
        logger.warning("The job queue's broker is unreachable: %s", error)
        return False, "unreachable"
    return True, "ok"
