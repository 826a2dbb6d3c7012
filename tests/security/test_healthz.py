"""/healthz answers monitoring without a sign-in, and says when the database is unreachable."""

import json
import secrets
from unittest import mock

import pytest
from django.db import OperationalError

from tests.processes import manage


def test_it_answers_ok_without_a_sign_in(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    assert response["Content-Type"] == "application/json"


def test_it_answers_503_when_the_database_cannot_be_reached(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_it_accepts_only_get(client, db):
    assert client.post("/healthz").status_code == 405


# --- over plain http with the production settings (SECURE_SSL_REDIRECT on) -------------------
# A load balancer probes the backend itself, over http and without X-Forwarded-Proto: it must
# hear 200 or 503 from /healthz, never the 301 that sends every other page to https.
PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="opb.example.org")
answers = {}
for path in ("/healthz", "/", "/accounts/login/", "/healthzz"):
    for method in ("GET", "HEAD"):
        response = getattr(client, method.lower())(path)
        answers[f"{method} {path}"] = [
            response.status_code, response.get("Location"), response.content.decode()
        ]
print(json.dumps(answers))
"""
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "opb.example.org",
    "DJANGO_BEHIND_PROXY": "1",
}
DATABASES = {
    "up": "sqlite://:memory:",
    # Nothing listens on the discard port: the connection is refused at once.
    "down": "postgres://opb@127.0.0.1:9/opb",
}


@pytest.fixture(scope="module")
def probed():
    """What a load balancer hears over plain http, with the database up and down."""
    answers = {}
    for database, url in DATABASES.items():
        result = manage("shell", "--no-imports", "-c", PROBE, DATABASE_URL=url, **PRODUCTION)
        assert result.returncode == 0, result.stderr
        answers[database] = json.loads(result.stdout)
    return answers


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    ("database", "status", "body"),
    [
        pytest.param("up", 200, {"status": "ok", "database": "ok"}, id="database-up"),
        pytest.param("down", 503, {"status": "error", "database": "unreachable"}, id="down"),
    ],
)
def test_over_plain_http_in_production_healthz_answers_rather_than_redirecting(
    probed, database, status, body, method
):
    answered_status, location, content = probed[database][f"{method} /healthz"]
    assert (answered_status, location) == (status, None)
    assert content == ("" if method == "HEAD" else json.dumps(body))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthzz"])
def test_over_plain_http_in_production_every_other_page_still_redirects_to_https(
    probed, path, method
):
    status, location, _ = probed["up"][f"{method} {path}"]
    assert (status, location) == (301, f"https://opb.example.org{path}")
