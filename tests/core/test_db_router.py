"""
The database router's rules without a replica (the suite's, `make demo`'s one database), and
its list of read-only pages. The real replica: tests/core/test_scale_out_replica.py.
"""

from __future__ import annotations

import time

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from opb_portal.core import db_router
from tests.factories import UserFactory


def marked(resolver=None, namespace: str = "") -> dict[str, bool]:
    """Every URL name, and whether its view reads from the replica."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= marked(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}{pattern.name}"
            found[name] = bool(db_router.is_replica_reader(pattern.callback, name.split(":")[:-1]))
    return found


def test_the_pages_that_read_from_the_replica_are_the_read_only_ones():
    readers = {name for name, reads in marked().items() if reads}
    assert {name for name in readers if not name.startswith("api:")} == {
        "kpis:scorecard",
        "kpis:year_summary_latest",
        "kpis:year_summary",
        "kpis:detail",
        "finance:dashboard",
        "workforce:dashboard",
        "demand:dashboard",
        "demand:benchmark",
        "boardpack:download",
    }
    # The whole JSON API (it only reads), and no form, preview or return page.
    assert {"api:kpis", "api:finance", "api:benchmarks"} <= readers
    assert not readers & {"home", "login", "boardpack:preview", "boardpack:meeting"}


@pytest.mark.parametrize(
    ("alias", "allowed"),
    [pytest.param("default", True, id="primary"), pytest.param("replica", False, id="replica")],
)
def test_migrations_run_on_the_primary_only(alias, allowed):
    assert db_router.ReplicaRouter().allow_migrate(alias, "kpis") is allowed


def test_writes_go_to_the_primary_and_later_reads_follow_them():
    router = db_router.ReplicaRouter()
    token = db_router._reading_from.set(db_router.REPLICA)
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) is None
    finally:
        db_router._reading_from.reset(token)


def test_without_a_replica_a_successful_post_sets_no_cookie(client, db, settings):
    assert "replica" not in settings.DATABASES
    client.force_login(UserFactory())
    response = client.post("/accounts/api-keys/", {"name": "one"})
    assert response.status_code == 200
    assert db_router.WROTE_COOKIE not in response.cookies


def test_with_a_replica_configured_a_successful_post_sets_the_signed_cookie(
    client, db, settings, monkeypatch
):
    # Only the middleware is asked: the router is not installed, nothing reads a replica.
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    client.force_login(UserFactory())
    response = client.post("/accounts/api-keys/", {"name": "one"})
    cookie = response.cookies[db_router.WROTE_COOKIE]
    assert cookie["max-age"] == settings.READ_YOUR_WRITES_SECONDS
    assert cookie["httponly"] is True


def test_a_refused_post_sets_no_cookie(client, db, monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    client.force_login(UserFactory())
    response = client.post("/kpis/scorecard/")
    assert response.status_code == 405
    assert db_router.WROTE_COOKIE not in response.cookies


def test_signing_in_counts_as_a_write(client, db, monkeypatch):
    # The page right after signing in reads the primary: the session was just written there.
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    UserFactory(username="newcomer")
    response = client.post(
        "/accounts/login/", {"username": "newcomer", "password": "a-test-password"}
    )
    assert response.status_code == 302
    assert db_router.WROTE_COOKIE in response.cookies


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        pytest.param(None, False, id="no-cookie"),
        pytest.param("1764930000", False, id="forged-unsigned"),
        pytest.param("signed", True, id="signed-just-now"),
    ],
)
def test_only_a_signed_cookie_keeps_a_browser_on_the_primary(rf, cookie, expected):
    from django.http import HttpResponse

    request = rf.get("/kpis/scorecard/")
    if cookie == "signed":
        response = HttpResponse()
        response.set_signed_cookie(db_router.WROTE_COOKIE, "1", salt=db_router._SALT)
        cookie = response.cookies[db_router.WROTE_COOKIE].value
    if cookie is not None:
        request.COOKIES[db_router.WROTE_COOKIE] = cookie
    assert db_router.wrote_recently(request) is expected


def test_the_cookie_stops_counting_after_the_window(rf, settings):
    from django.http import HttpResponse

    response = HttpResponse()
    response.set_signed_cookie(db_router.WROTE_COOKIE, "1", salt=db_router._SALT)
    request = rf.get("/kpis/scorecard/")
    request.COOKIES[db_router.WROTE_COOKIE] = response.cookies[db_router.WROTE_COOKIE].value
    settings.READ_YOUR_WRITES_SECONDS = 0
    # With a window of 0 seconds, a cookie signed a second ago has expired.
    time.sleep(1.1)
    assert db_router.wrote_recently(request) is False
