"""`manage.py api_token USERNAME`: make a person a key for the API and print it, once."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opb_portal.accounts.models import ApiToken


def api_token(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue()


def test_it_prints_a_new_key_and_keeps_only_its_hash(reviewer):
    printed = api_token(reviewer.username)
    assert re.fullmatch(r"[0-9a-f]{40}\n", printed)
    token = ApiToken.objects.get(user=reviewer)
    assert token.key_hash == hashlib.sha256(printed.strip().encode()).hexdigest()
    assert token.prefix == printed[:6]
    # Nowhere in the row is the key itself.
    assert printed.strip() not in {str(value) for value in vars(token).values()}


def test_running_it_again_makes_a_second_key_and_the_first_still_works(
    client, frameworks, reviewer
):
    first = api_token(reviewer.username).strip()
    second = api_token(reviewer.username).strip()
    assert first != second
    assert ApiToken.objects.filter(user=reviewer).count() == 2
    for key in (first, second):
        response = client.get(
            "/api/v1/kpis/", {"period": "2025-03"}, headers={"Authorization": f"Token {key}"}
        )
        assert response.status_code == 200


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
