"""Audit lines are JSON with who and what, and never carry a password or a token."""

import json

from django.test import Client

from opb_portal.core.audit import log_event
from tests.factories import UserFactory

PASSWORD = "a-test-password"


def _events(lines) -> list[dict]:
    return [json.loads(line) for line in lines]


def test_a_sign_in_is_a_json_line_with_the_person_and_organisation(audit_lines, db):
    person = UserFactory(username="sam", role="reviewer")
    Client().post("/accounts/login/", {"username": "sam", "password": PASSWORD})

    (event,) = _events(audit_lines)
    assert event["event"] == "login"
    assert (event["user"], event["role"], event["organisation"]) == (
        "sam",
        "reviewer",
        str(person.organisation),
    )
    assert (event["path"], event["ip"]) == ("/accounts/login/", "127.0.0.1")
    assert PASSWORD not in audit_lines[0]


def test_a_failed_sign_in_names_the_username_but_never_the_password(audit_lines, db):
    UserFactory(username="sam")
    Client().post("/accounts/login/", {"username": "sam", "password": "Wrong-Secret-123"})

    events = _events(audit_lines)
    assert [e["event"] for e in events] == ["login_failed"]
    assert events[0]["username"] == "sam"
    assert "Wrong-Secret-123" not in "".join(audit_lines)


def test_a_refusal_is_logged_with_who_was_refused(audit_lines, client, db):
    person = UserFactory(username="nobody", role="")
    client.force_login(person)
    audit_lines.clear()

    assert client.get("/kpis/years/").status_code == 403

    (event,) = _events(audit_lines)
    assert (event["event"], event["user"], event["status"], event["path"]) == (
        "permission_denied",
        "nobody",
        403,
        "/kpis/years/",
    )


def test_fields_named_like_secrets_are_dropped(audit_lines, db):
    person = UserFactory(username="sam")
    log_event(
        "export",
        user=person,
        what="scorecard.xlsx",
        password="hunter2-hunter2",
        api_token="abc123abc123",
    )
    (event,) = _events(audit_lines)
    assert event["what"] == "scorecard.xlsx"
    assert "hunter2" not in audit_lines[0]
    assert "abc123" not in audit_lines[0]
