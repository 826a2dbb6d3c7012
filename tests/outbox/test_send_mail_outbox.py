"""
Mail that fails never breaks the act that succeeded: the act only queues its emails, and
`manage.py send_mail_outbox` sends them, against real servers on loopback here: one that
refuses connections, one that accepts and never answers, and a working SMTP server.
"""

import io
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opb_portal.accounts.models import Role, User
from opb_portal.outbox import services
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.outbox.services import MAX_ATTEMPTS, queue_email, retry_delay
from opb_portal.periods import Period
from opb_portal.submissions.models import Return
from tests.factories import UserFactory
from tests.processes import BASE_DIR, clean_environment

#: Outside a test transaction, as the portal runs: the act commits, and whatever it does
#: after commit (as sending on commit once did) happens for real.
committing = pytest.mark.django_db(transaction=True)

APRIL = Period(2025, 4)
SUBMIT = reverse("submissions:submit", args=["kpis", APRIL.iso])
DETAIL = reverse("submissions:detail", args=["kpis", APRIL.iso])


def send_outbox() -> tuple[str, str]:
    """One run of `manage.py send_mail_outbox`: what it printed, and what it complained of."""
    out, err = io.StringIO(), io.StringIO()
    call_command("send_mail_outbox", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def trust(client, april_draft):
    client.force_login(User.objects.get(username="kpi.submitter"))
    return client


def _submitted(trust) -> float:
    """Submit April's return through the page; the seconds the page took."""
    started = time.monotonic()
    response = trust.post(SUBMIT, {})
    took = time.monotonic() - started
    assert (response.status_code, response["Location"]) == (302, DETAIL)
    assert Return.objects.get(domain="kpis", period=APRIL.first_day).status == "submitted"
    return took


# --- (1) a mail server that refuses connections ----------------------------------------------


@committing
def test_with_the_mail_server_refusing_submitting_still_answers_and_the_email_waits(
    trust, refusing_port
):
    _submitted(trust)

    (queued,) = OutgoingEmail.objects.all()
    assert (queued.to, queued.attempts, queued.sent_at) == ("reviewer@example.org", 0, None)
    assert "KPI return for April 2025 submitted" in queued.subject


def test_the_sender_records_a_refused_connection_and_waits_before_trying_again(
    trust, refusing_port
):
    _submitted(trust)

    before = timezone.now()
    out, err = send_outbox()

    queued = OutgoingEmail.objects.get()
    assert queued.sent_at is None
    assert queued.failed_at is None
    assert queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    assert before + retry_delay(1) <= queued.next_attempt_at <= timezone.now() + retry_delay(1)
    assert f"not sent (attempt 1 of {MAX_ATTEMPTS}" in err
    assert "0 sent, 1 to retry, 0 failed; 1 waiting." in out
    # Run again at once: nothing is due yet, so nothing is tried.
    assert "0 sent, 0 to retry, 0 failed; 1 waiting." in send_outbox()[0]
    assert OutgoingEmail.objects.get().attempts == 1


def _make_due() -> None:
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())


def test_each_failure_doubles_the_wait_and_the_last_attempt_marks_the_email_failed(
    db, refusing_port
):
    queue_email(to="someone@example.org", subject="A test", body="Hello.")
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        _make_due()
        started = timezone.now()
        send_outbox()
        queued = OutgoingEmail.objects.get()
        waits.append(round((queued.next_attempt_at - started).total_seconds() / 60))
    _make_due()
    _, err = send_outbox()

    assert waits == [1, 2, 4, 8, 16, 32, 64]
    queued = OutgoingEmail.objects.get()
    assert (queued.attempts, queued.sent_at) == (MAX_ATTEMPTS, None)
    assert queued.failed_at is not None
    assert f"failed, given up after {MAX_ATTEMPTS} attempts" in err
    _make_due()
    assert "0 sent, 0 to retry, 0 failed; 0 waiting." in send_outbox()[0]


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        pytest.param(1, timedelta(minutes=1), id="first-failure"),
        pytest.param(2, timedelta(minutes=2), id="second"),
        pytest.param(5, timedelta(minutes=16), id="fifth"),
        pytest.param(8, timedelta(hours=2), id="eighth-capped-at-two-hours"),
        pytest.param(30, timedelta(hours=2), id="never-longer-than-two-hours"),
    ],
)
def test_the_wait_after_a_failure_doubles_up_to_two_hours(attempts, wait):
    assert retry_delay(attempts) == wait


# --- (2) a mail server that accepts and never answers ------------------------------------------


@committing
def test_with_a_hung_mail_server_the_act_never_waits_and_the_sender_gives_up_in_time(
    trust, silent_server, settings
):
    UserFactory(role=Role.REVIEWER, username="second.reviewer", email="second@example.org")
    settings.EMAIL_TIMEOUT = 2  # the page takes a fraction of this, even on a busy machine

    took = _submitted(trust)

    assert silent_server.accepted == [], "the act itself talked to the mail server"
    assert took < settings.EMAIL_TIMEOUT
    assert OutgoingEmail.objects.count() == 2

    started = time.monotonic()
    out, err = send_outbox()
    sending = time.monotonic() - started

    # One EMAIL_TIMEOUT, not one per message: the pass stops when the server cannot be reached.
    assert sending < settings.EMAIL_TIMEOUT + 1.5
    assert len(silent_server.accepted) == 1
    tried, untried = OutgoingEmail.objects.order_by("-attempts")
    assert tried.attempts == 1
    assert "timed out" in tried.last_error
    assert (untried.attempts, untried.last_error) == (0, "")
    assert "Stopped this pass: the mail server could not be reached" in err
    assert "0 sent, 1 to retry, 0 failed; 2 waiting." in out


# --- (3) a working mail server --------------------------------------------------------------


def test_a_working_mail_server_receives_the_email_once_and_it_is_marked_sent(trust, smtp_server):
    _submitted(trust)

    out, _ = send_outbox()
    again, _ = send_outbox()

    ((recipients, content),) = smtp_server.messages
    assert recipients == ["reviewer@example.org"]
    assert "Subject: OPB portal: KPI return for April 2025 submitted" in content
    assert "From: opb-portal@localhost" in content
    assert "sent: to reviewer@example.org: OPB portal: KPI return for April 2025" in out
    assert "1 sent, 0 to retry, 0 failed; 0 waiting." in out
    assert "0 sent" in again
    queued = OutgoingEmail.objects.get()
    assert (queued.attempts, queued.sent_at is not None) == (1, True)


def test_a_refused_recipient_waits_for_a_retry_and_the_others_are_still_sent(db, smtp_server):
    smtp_server.refuse = {"gone@example.org"}
    for to in ("a@example.org", "gone@example.org", "b@example.org"):
        queue_email(to=to, subject=f"For {to}", body="Hello.")

    out, err = send_outbox()

    assert sorted(r for recipients, _ in smtp_server.messages for r in recipients) == [
        "a@example.org",
        "b@example.org",
    ]
    refused = OutgoingEmail.objects.get(to="gone@example.org")
    assert refused.sent_at is None
    assert "SMTPRecipientsRefused" in refused.last_error
    assert "550" in refused.last_error
    assert "2 sent, 1 to retry, 0 failed; 1 waiting." in out


@pytest.fixture(
    params=[
        pytest.param(True, id="postgresql-skip-locked"),
        pytest.param(False, id="sqlite-conditional-update"),
    ]
)
def claim_by_skip_locked(request, monkeypatch):
    """Both ways a sender claims a message: SKIP LOCKED, or (as on SQLite) a conditional UPDATE."""
    features = type(connection.features)
    monkeypatch.setattr(features, "has_select_for_update_skip_locked", request.param)
    return request.param


@committing
def test_two_senders_running_at_once_send_each_email_exactly_once(
    smtp_server, claim_by_skip_locked
):
    smtp_server.delay = 0.1
    subjects = [f"Message {n:02d}" for n in range(16)]
    for subject in subjects:
        queue_email(to="reviewer@example.org", subject=subject, body="Hello.")
    barrier = threading.Barrier(2)

    def run() -> str:
        try:
            barrier.wait(10)
            return send_outbox()[0]
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(2) as pool:
        outputs = [f.result() for f in [pool.submit(run), pool.submit(run)]]

    assert sorted(smtp_server.subjects()) == subjects
    sent_by_each = [out.count("sent: to ") for out in outputs]
    # Both sent some: the second started before the first had found the outbox empty.
    assert sum(sent_by_each) == 16, outputs
    assert min(sent_by_each) >= 1, outputs
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()


def test_a_message_a_dead_sender_had_taken_is_sent_once_its_claim_runs_out(db, smtp_server):
    queue_email(to="reviewer@example.org", subject="Taken, then the sender died", body="Hi.")
    assert services._claim_next(timezone.now()) is not None  # taken; never sent

    send_outbox()
    assert smtp_server.messages == []

    OutgoingEmail.objects.update(next_attempt_at=timezone.now())  # the lease is over
    send_outbox()
    assert smtp_server.subjects() == ["Taken, then the sender died"]
    assert OutgoingEmail.objects.get().attempts == 2


# --- --loop, as a service ----------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@committing
def test_the_sender_as_a_service_keeps_sending_and_stops_cleanly_on_sigterm(smtp_server):
    env = clean_environment()
    env.update(
        DJANGO_SETTINGS_MODULE="opb_portal.settings",
        DJANGO_SECRET_KEY="test-only-not-secret",
        DATABASE_URL=_database_url(),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp_server.port),
        DJANGO_EMAIL_TIMEOUT="2",
    )
    service = subprocess.Popen(
        [sys.executable, "manage.py", "send_mail_outbox", "--loop", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        queue_email(to="reviewer@example.org", subject="While it runs", body="Hello.")
        deadline = time.monotonic() + 30
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        assert smtp_server.subjects() == ["While it runs"]

        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=10)
    finally:
        if service.poll() is None:
            os.kill(service.pid, signal.SIGKILL)
            service.wait()

    assert service.returncode == 0, err
    assert "sent: to reviewer@example.org: While it runs" in out
    assert out.rstrip().endswith("Stopped.")
    assert OutgoingEmail.objects.get().sent_at is not None
