"""/healthz answers monitoring without a sign-in, and says when the database is unreachable."""

from unittest import mock

from django.db import OperationalError


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
