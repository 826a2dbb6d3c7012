"""
/livez (the process answers), /readyz (the databases and the job queue's broker answer) and
/healthz (the load balancer's: the database only), with real things down: a redis-server of
our own stopped mid-test, and a database URL pointing at a closed port.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import time

import pytest

from tests.processes import manage

PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="opb.example.org")
print(json.dumps({
    path: [response.status_code, response.json()]
    for path in ("/livez", "/readyz", "/healthz")
    for response in [client.get(path)]
}))
"""
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "opb.example.org",
    "DJANGO_BEHIND_PROXY": "1",
}
DATABASE_UP = "sqlite://:memory:"
# Nothing listens on the discard port: the connection is refused at once.
DATABASE_DOWN = "postgres://opb@127.0.0.1:9/opb"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def probed(database: str, broker: str = "") -> dict:
    """What /livez, /readyz and /healthz answer over plain http in production settings."""
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        DATABASE_URL=database,
        DJANGO_CELERY_BROKER_URL=broker,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_url():
    """A redis-server of this test's own on a free loopback port; stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield server, f"redis://127.0.0.1:{port}/0"
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=10)


def test_livez_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django refuses any query, so one would fail this test.
    response = client.get("/livez")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_with_no_broker_configured_counts_the_in_process_queue_as_ready(client, db):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "ok", "queue": "in-process"},
    )


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        pytest.param("/livez", 200, {"status": "ok"}, id="livez-still-alive"),
        pytest.param(
            "/readyz",
            503,
            {"status": "error", "database": "unreachable", "queue": "in-process"},
            id="readyz-not-ready",
        ),
        pytest.param(
            "/healthz", 503, {"status": "error", "database": "unreachable"}, id="healthz-as-before"
        ),
    ],
)
def test_with_the_database_down(path, status, body):
    assert probed(DATABASE_DOWN)[path] == [status, body]


def test_readyz_follows_a_real_broker_going_down(redis_url):
    server, url = redis_url
    up = probed(DATABASE_UP, broker=url)
    server.terminate()
    server.wait(timeout=10)
    down = probed(DATABASE_UP, broker=url)
    assert up["/readyz"] == [200, {"status": "ok", "database": "ok", "queue": "ok"}]
    assert down["/readyz"] == [503, {"status": "error", "database": "ok", "queue": "unreachable"}]
    # The load balancer's check leaves the broker out: pages work while jobs wait.
    assert down["/healthz"] == [200, {"status": "ok", "database": "ok"}]
    assert down["/livez"] == [200, {"status": "ok"}]


@pytest.mark.parametrize("path", ["/livez", "/readyz"])
def test_checks_accept_only_get_and_head(client, db, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code == 200
