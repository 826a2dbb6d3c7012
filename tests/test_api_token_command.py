"""`manage.py api_token USERNAME`: the one way to hand a person their API key."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opb_portal.accounts.models import ApiToken


def api_token(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue()


def test_it_prints_a_new_key_for_a_person_without_one(reviewer):
    printed = api_token(reviewer.username)
    assert re.fullmatch(r"[0-9a-f]{40}\n", printed)
    assert ApiToken.objects.get(user=reviewer).key == printed.strip()


def test_running_it_again_prints_the_same_key(reviewer):
    first = api_token(reviewer.username)
    assert api_token(reviewer.username) == first
    assert ApiToken.objects.filter(user=reviewer).count() == 1


def test_each_person_gets_their_own_key(people):
    keys = {api_token(person.username) for person in people.values()}
    assert len(keys) == len(people)


def test_an_unknown_username_is_an_error_naming_it(db):
    with pytest.raises(CommandError, match="No user called 'nobody-here'"):
        api_token("nobody-here")
    assert not ApiToken.objects.exists()


def test_the_printed_key_opens_the_api(client, frameworks, reviewer):
    key = api_token(reviewer.username).strip()
    response = client.get(
        "/api/v1/kpis/", {"period": "2025-03"}, headers={"Authorization": f"Token {key}"}
    )
    assert response.status_code == 200
    assert (response.json()["period"], response.json()["framework"]) == ("2025-03", "2024")


def test_without_the_key_the_same_request_is_refused(client, frameworks, reviewer):
    api_token(reviewer.username)
    assert client.get("/api/v1/kpis/", {"period": "2025-03"}).status_code == 401
