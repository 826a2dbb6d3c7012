"""
Two reviewers deciding on the same return at the same moment, on two real
database connections: exactly one decision is recorded, the other reviewer is
told who decided first, and nothing is done twice.

Each reviewer acts in a thread of its own (so on a connection of its own),
released together by a barrier. The first to take the return's row lock holds
it until this test has seen the other one waiting on that lock in PostgreSQL:
without the lock, both would decide and the test would fail.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from opb_portal.accounts.models import Role, User
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.periods import Period
from opb_portal.submissions import notifications, services
from opb_portal.submissions.models import Comment, Return, ReturnEvent

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

APRIL = Period(2025, 4)
WAIT = 15  # seconds: far beyond what either act takes; reached only when the lock is missing


@pytest.fixture
def submitted(demo) -> Return:
    """April 2025's KPI return with March's figures, saved and submitted through the services."""
    submitter = User.objects.get(username="kpi.submitter")
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    services.return_save(ret=ret, user=submitter, data=march, base_version=None)
    services.return_submit(ret=ret, user=submitter)
    OutgoingEmail.objects.all().delete()
    return ret


@pytest.fixture
def reviewers(demo) -> tuple[User, User]:
    second = UserFactory(role=Role.REVIEWER, username="second.reviewer", first_name="Robin")
    return User.objects.get(username="reviewer"), second


@pytest.fixture
def lock_watch(monkeypatch):
    """
    Hold the winner inside its transaction (at the point it tells the Trust) until
    another connection is seen waiting on a lock; `seen` says whether one was.
    """
    seen, release = threading.Event(), threading.Event()
    decided = notifications.return_decided

    def held(**kwargs):
        release.wait(WAIT)
        decided(**kwargs)

    monkeypatch.setattr(notifications, "return_decided", held)

    def watch():
        deadline = time.monotonic() + WAIT
        try:
            while time.monotonic() < deadline and not seen.is_set():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                    if cursor.fetchone()[0]:
                        seen.set()
                time.sleep(0.01)
        finally:
            release.set()
            connection.close()  # the watcher's own connection

    return seen, watch


def _at_once(*acts):
    """Run each act in its own thread and connection, all released at the same instant."""
    barrier = threading.Barrier(len(acts))

    def run(act):
        try:
            barrier.wait(WAIT)
            return act()
        except services.ReturnError as refused:
            return refused
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(len(acts)) as pool:
        return [future.result() for future in [pool.submit(run, act) for act in acts]]


def _decisions(ret) -> list[str]:
    return list(
        ReturnEvent.objects.filter(ret=ret)
        .exclude(action__in=[ReturnEvent.Action.SAVED, ReturnEvent.Action.SUBMITTED])
        .values_list("action", flat=True)
    )


def test_two_reviewers_approving_at_once_record_one_approval_and_the_other_is_told(
    submitted, reviewers, lock_watch
):
    seen, watch = lock_watch
    first, second = reviewers

    with ThreadPoolExecutor(1) as watcher:
        watcher.submit(watch)
        results = _at_once(
            lambda: services.return_approve(ret=submitted, user=first),
            lambda: services.return_approve(ret=submitted, user=second),
        )

    assert seen.is_set(), "the second approval never waited on the first's row lock"
    (won,) = [r for r in results if isinstance(r, ReturnEvent)]
    (lost,) = [r for r in results if isinstance(r, services.ReturnError)]
    assert lost.message.startswith(
        f"This return is approved, not submitted: {won.user} approved it at "
    )
    assert "Nothing you did was recorded" in lost.message
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.APPROVED
    assert submitted.approved_version == submitted.current_version
    assert _decisions(submitted) == [ReturnEvent.Action.APPROVED]
    assert OutgoingEmail.objects.count() == 1  # the Trust is told once


def test_approving_and_sending_back_at_once_record_one_decision_and_the_other_is_told(
    submitted, reviewers, lock_watch
):
    seen, watch = lock_watch
    first, second = reviewers

    with ThreadPoolExecutor(1) as watcher:
        watcher.submit(watch)
        approval, query = _at_once(
            lambda: services.return_approve(ret=submitted, user=first),
            lambda: services.return_send_back(
                ret=submitted, user=second, comment="PI1: why so high?", line="PI1"
            ),
        )

    assert seen.is_set(), "the second decision never waited on the first's row lock"
    submitted.refresh_from_db()
    if isinstance(approval, ReturnEvent):
        assert isinstance(query, services.ReturnError)
        assert query.message.startswith(
            f"This return is approved, not submitted: {first} approved it at "
        )
        assert submitted.status == Return.Status.APPROVED
        assert _decisions(submitted) == [ReturnEvent.Action.APPROVED]
        assert not Comment.objects.filter(ret=submitted).exists()  # the query was not kept
    else:
        assert isinstance(query, ReturnEvent)
        assert approval.message.startswith(
            f"This return is returned with queries, not submitted: {second} returned it "
            "with queries at "
        )
        assert submitted.status == Return.Status.RETURNED
        assert submitted.approved_version is None
        assert _decisions(submitted) == [ReturnEvent.Action.RETURNED]
        assert Comment.objects.filter(ret=submitted).count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_the_reviewer_who_comes_second_sees_who_decided_and_what_they_wrote(
    client, submitted, reviewers
):
    first, second = reviewers
    services.return_approve(ret=submitted, user=first)
    client.force_login(second)

    page = client.post(
        "/returns/kpis/2025-04/review/",
        {"decision": "return", "comment": "PI2 looks low", "line": "PI2"},
        follow=True,
    )

    text = page.content.decode()
    assert f"This return is approved, not submitted: {first} approved it at " in text
    assert "What you wrote: “PI2 looks low”" in text
    assert not Comment.objects.filter(ret=submitted).exists()
