"""
The typed form in a real browser: the RAG follows the typing, with no inline script.

Drives Debian's Chromium through Playwright against a live server. The page is
served with a Content-Security-Policy that forbids inline script and style, as
production will, so htmx must work from its static file and its meta configuration.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from opb_portal.accounts.models import User

from ..conftest import KEEP_SCREENSHOTS

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


@pytest.fixture
def page(live_server, transactional_db, demo, monkeypatch):
    from playwright import sync_api as playwright_api

    # A missing browser is a broken set-up, not a reason to pass: `make test` installs it.
    assert CHROMIUM.exists(), (
        "Debian's Chromium is missing: run `make system-tools` (apt-get install chromium)"
    )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # here (signing in) are plain synchronous ones.
    monkeypatch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    client.force_login(User.objects.get(username="kpi.submitter"))
    session = client.cookies["sessionid"].value
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

        def with_csp(route):
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": CSP}
            route.fulfill(response=response, headers=headers)

        context.route("**/*", with_csp)
        page = context.new_page()
        page.violations = []
        page.on(
            "console",
            lambda message: (
                page.violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page
        if KEEP_SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "typed-return-live-rag.png", full_page=False)
        browser.close()


def test_the_rag_beside_a_value_changes_as_it_is_typed(page, live_server):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/returns/kpis/2025-04/edit/")
    value, badge = page.get_by_label("PI1 Value (percentage)"), page.locator("#rag-PI1")
    expect(badge).to_have_text("No figure")

    # 84.99 has more places than PI1 is published with, so the form would refuse it: not rated.
    for typed, shown in [
        ("85.0", "Green"),
        ("84.9", "Amber"),
        ("84.99", "Not rated"),
        ("150", "Not rated"),
        ("eighty", "Not a number"),
    ]:
        value.fill(typed)
        expect(badge).to_have_text(shown)

    assert page.violations == []
