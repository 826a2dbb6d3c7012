"""Every page, export and API answer carries the browser protections; figures are never cached."""

import pytest
from django.test import Client

from opb_portal.accounts.models import ApiToken

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


@pytest.fixture
def signed_in(client, demo, reviewer):
    client.force_login(reviewer)
    return client


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/kpis/scorecard/?period=2025-03", id="scorecard"),
        pytest.param("/kpis/scorecard.xlsx?period=2025-03", id="xlsx-export"),
        pytest.param("/api/v1/kpis/?period=2025-03", id="api"),
    ],
)
def test_a_signed_in_response_carries_the_protections_and_is_never_stored(signed_in, url):
    response = signed_in.get(url)

    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"]) == _directives(CSP)
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_an_api_answer_to_a_token_is_never_stored(demo, reviewer):
    _, key = ApiToken.issue(user=reviewer)
    response = Client().get("/api/v1/kpis/?period=2025-03", HTTP_AUTHORIZATION=f"Token {key}")
    assert (response.status_code, response["Cache-Control"]) == (200, "no-store")
    # A token request opens no session.
    assert "sessionid" not in response.cookies


def test_the_sign_in_page_has_the_policy_too(client, db):
    response = client.get("/accounts/login/")
    assert _directives(response["Content-Security-Policy"]) == _directives(CSP)
    assert response["X-Frame-Options"] == "DENY"


def test_the_policy_allows_no_inline_script_or_style():
    assert "unsafe-inline" not in CSP
    assert "unsafe-eval" not in CSP


def test_a_static_file_may_be_cached(client, db):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert response.get("Cache-Control", "") != "no-store"
