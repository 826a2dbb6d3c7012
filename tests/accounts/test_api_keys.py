"""API keys: kept hashed, shown once, several per person, last use noted, revocable."""

import hashlib
import re
from importlib import import_module

from django.apps import apps as live_apps
from django.contrib.admin.sites import site
from django.utils import timezone

from opb_portal.accounts.models import ApiToken, User

KEYS_URL = "/accounts/api-keys/"
API = "/api/v1/kpis/summary/?year=2024-25"


def _open(client, key):
    return client.get(API, headers={"Authorization": f"Token {key}"}).status_code


def test_a_person_makes_a_key_on_their_page_and_sees_it_once(client, demo, reviewer):
    client.force_login(reviewer)
    page = client.post(KEYS_URL, {"name": "Power BI"})
    key = re.search(r'data-testid="new-key">([0-9a-f]{40})<', page.content.decode())[1]
    token = ApiToken.objects.get(user=reviewer)
    assert (token.name, token.key_hash) == ("Power BI", hashlib.sha256(key.encode()).hexdigest())
    assert key not in client.get(KEYS_URL).content.decode()
    assert _open(client, key) == 200


def test_the_last_use_of_a_key_is_noted_at_most_once_a_minute(client, demo, reviewer):
    token, key = ApiToken.issue(user=reviewer)
    assert token.last_used_at is None
    _open(client, key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    _open(client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timezone.timedelta(minutes=2))
    _open(client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_the_owner_revokes_a_key_and_it_no_longer_opens_the_api(client, demo, reviewer):
    kept, kept_key = ApiToken.issue(user=reviewer)
    token, key = ApiToken.issue(user=reviewer)
    client.force_login(reviewer)
    response = client.post(f"{KEYS_URL}{token.pk}/revoke/")
    assert (response.status_code, response["Location"]) == (302, KEYS_URL)
    client.logout()
    assert (_open(client, key), _open(client, kept_key)) == (401, 200)
    assert ApiToken.objects.get(pk=token.pk).revoked_by == reviewer


def test_nobody_revokes_another_persons_key_from_their_page(client, demo, reviewer, people):
    token, key = ApiToken.issue(user=reviewer)
    client.force_login(people["board_member"])
    assert client.post(f"{KEYS_URL}{token.pk}/revoke/").status_code == 404
    client.logout()
    assert _open(client, key) == 200


def test_an_administrator_revokes_anyones_key_in_the_admin(client, demo, reviewer):
    admin = User.objects.get(username="admin")  # the demo's administrator
    token, key = ApiToken.issue(user=reviewer)
    client.force_login(admin)
    changelist = "/admin/accounts/apitoken/"
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    client.logout()
    assert _open(client, key) == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_by == admin
    assert site.is_registered(ApiToken)


def test_the_migration_hashes_existing_keys_so_they_keep_working(db):
    migration = import_module("opb_portal.accounts.migrations.0003_api_keys_hashed")

    class Row:
        def __init__(self, key):
            self.key, self.saved = key, None

        def save(self, update_fields):
            self.saved = update_fields

    rows = [Row("a" * 40), Row("0123456789abcdef0123456789abcdef01234567")]

    class Manager:
        def all(self):
            return rows

    class Model:
        objects = Manager()

    class Apps:
        def get_model(self, app, name):
            assert (app, name) == ("accounts", "ApiToken")
            return Model

    migration.hash_existing_keys(Apps(), None)
    for row in rows:
        assert row.key_hash == ApiToken.hash(row.key)
        assert row.prefix == row.key[: ApiToken.PREFIX_LENGTH]
        assert row.saved == ["key_hash", "prefix"]
    assert live_apps.get_model("accounts", "ApiToken") is ApiToken
