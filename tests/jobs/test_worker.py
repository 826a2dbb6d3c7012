"""
The board pack's jobs on a real worker and broker: `redis-server` and `celery worker` started
here on loopback, on the test's own PostgreSQL database, as production runs them.

A preview runs on the worker and its progress moves; an issue survives its worker's pool
process killed mid-render, and the whole worker killed and another started: each time the
job runs again and the pack is issued once; a job asked for while the broker is down waits,
queued, until `requeue_stale` sends it; two clicks on "Issue pack" are one job.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from opb_portal.boardpack import services
from opb_portal.boardpack.demo import load_demo_meetings
from opb_portal.boardpack.models import PackIssue
from opb_portal.jobs import services as job_services
from opb_portal.jobs.models import Job
from scripts.loopback import free_port

from ..processes import BASE_DIR, clean_environment

REDIS = "/usr/bin/redis-server"
# Rendering the demonstration's pack takes seconds (more on a busy machine): generous limits,
# which only a fault reaches.
LIMIT = 120


def _wait_for(what: str, found: Callable[[], object], seconds: float = LIMIT) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"Waited {seconds} s for {what}")


class Redis:
    """A throwaway `redis-server` on a loopback port, keeping nothing on disk."""

    def __init__(self, port: int, directory: Path):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(  # noqa: S603 (our own binary, fixed arguments)
            [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for("redis to answer", self._answers, 20)

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Worker:
    """`celery -A opb_portal worker --pool prefork --concurrency 1`, in a session of its own."""

    def __init__(self, broker: str, log: Path, settings, **environ: str):
        env = clean_environment()
        env.update(
            DJANGO_SECRET_KEY="test-only-not-secret",
            DJANGO_SETTINGS_MODULE="tests.jobs.worker_settings",
            DATABASE_URL=_database_url(),
            DJANGO_CELERY_BROKER_URL=broker,
            DJANGO_JOB_ROOT=str(settings.JOB_ROOT),
            DJANGO_PACK_ROOT=str(settings.PACK_ROOT),
            **environ,
        )
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
            [sys.executable, "-m", "celery", "-A", "opb_portal", "worker"]
            + ["--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO"]
            + ["--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for("the worker to be ready", lambda: b" ready." in log.read_bytes(), 60)

    def pool_children(self) -> list[int]:
        """The pool's processes: the ones that run the jobs."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def kill_all(self) -> None:
        """The whole worker gone at once, as when its machine stops: SIGKILL to its session."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def _database_url() -> str:
    """The test's own database (pytest-django's `test_` copy), which the worker must use."""
    found = connection.settings_dict
    user, host, port = found["USER"] or "postgres", found["HOST"] or "127.0.0.1", found["PORT"]
    password = f":{found['PASSWORD']}" if found["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port or 5432}/{found['NAME']}"


def _use_broker(settings, url: str) -> None:
    """This process sends its jobs to `url`, as an app server configured with it does."""
    from opb_portal.celery import app

    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    # Celery keeps its connections to the first broker it met: forget them.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path, settings) -> Iterator[Redis]:
    server = Redis(free_port(), tmp_path)
    _use_broker(settings, server.url)
    yield server
    server.stop()


@pytest.fixture
def start_worker(tmp_path, settings, broker) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(**environ: str) -> Worker:
        worker = Worker(broker.url, tmp_path / "worker.log", settings, **environ)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def meeting(transactional_db, demo):
    return load_demo_meetings()


def _job(pk) -> Job:
    return Job.objects.get(pk=pk)


def _rendering(pk) -> Job | None:
    job = _job(pk)
    return job if "Rendering the board pack: page" in job.progress_message else None


def _done(pk) -> Job | None:
    job = _job(pk)
    assert job.state != Job.State.FAILED, job.error
    return job if job.state == Job.State.DONE else None


def test_a_preview_runs_on_the_worker_and_its_progress_moves(meeting, start_worker):
    start_worker()
    job = services.pack_preview_request(meeting=meeting, user=meeting.chair)
    seen: list[tuple[int, int, str]] = []

    def finished():
        found = _job(job.pk)
        step = (found.progress_done, found.progress_total, found.progress_message)
        if not seen or seen[-1] != step:
            seen.append(step)
        assert found.state != Job.State.FAILED, found.error
        return found.state == Job.State.DONE

    _wait_for("the preview", finished)

    pages = [message for _, _, message in seen if message.startswith("Rendering the board pack")]
    assert len(pages) >= 3, seen
    assert any(message.startswith("Gathering the figures") for _, _, message in seen), seen
    done = _job(job.pk)
    assert done.attempts == 1
    assert job_services.result_path(done).read_bytes()[:5] == b"%PDF-"
    # Asked for again with nothing changed, the kept preview is served: no second job.
    assert services.pack_preview_request(meeting=meeting, user=meeting.chair).pk == job.pk


def _issue_once(job: Job, settings) -> PackIssue:
    (issue,) = PackIssue.objects.all()
    assert issue.job_id == job.pk
    data = (Path(settings.PACK_ROOT) / issue.stored_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == issue.sha256
    return issue


def test_an_issue_survives_its_pool_process_killed_mid_render_and_is_made_once(
    meeting, start_worker, settings
):
    worker = start_worker()
    job = services.pack_issue_request(meeting=meeting, user=meeting.chair)
    # A second click while it waits or runs is the same job.
    assert services.pack_issue_request(meeting=meeting, user=meeting.chair).pk == job.pk

    _wait_for("the issue to render", lambda: _rendering(job.pk))
    (child,) = worker.pool_children()
    os.kill(child, signal.SIGKILL)

    done = _wait_for("the issue to be made", lambda: _done(job.pk))
    assert done.attempts == 2
    issue = _issue_once(job, settings)
    assert done.result_message.startswith(f"Issue 1 of the pack is frozen ({issue.pages} pages")
    assert Job.objects.count() == 1


def test_an_issue_whose_whole_worker_died_is_made_by_the_next_worker_once(
    meeting, start_worker, settings
):
    # The broker gives an unacknowledged job to another worker after the visibility timeout.
    first = start_worker(DJANGO_CELERY_VISIBILITY_TIMEOUT="10")
    job = services.pack_issue_request(meeting=meeting, user=meeting.chair)
    _wait_for("the issue to render", lambda: _rendering(job.pk))
    first.kill_all()
    assert _job(job.pk).state == Job.State.RUNNING

    start_worker(DJANGO_CELERY_VISIBILITY_TIMEOUT="10")

    done = _wait_for("the issue to be made", lambda: _done(job.pk))
    assert done.attempts == 2
    _issue_once(job, settings)


def test_a_job_asked_for_while_the_broker_is_down_waits_and_is_sent_again(
    meeting, tmp_path, settings
):
    port = free_port()
    _use_broker(settings, f"redis://127.0.0.1:{port}/0")
    job = services.pack_preview_request(meeting=meeting, user=meeting.chair)
    assert _job(job.pk).state == Job.State.QUEUED
    assert job_services.requeue_stale(older_than_seconds=0) == 0  # still down: nothing lost
    assert _job(job.pk).state == Job.State.QUEUED

    server = Redis(port, tmp_path)
    worker = Worker(server.url, tmp_path / "worker.log", settings)
    try:
        assert job_services.requeue_stale(older_than_seconds=0) == 1
        done = _wait_for("the preview", lambda: _done(job.pk))
        assert done.attempts == 1
    finally:
        worker.stop()
        server.stop()
