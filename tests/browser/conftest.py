"""
Shared set-up of the browser journeys: Debian's Chromium through Playwright, a live
server on PostgreSQL with the demonstration loaded, signing in, screenshots and axe-core.
"""

import json
import os
from pathlib import Path

import pytest
from django.test import Client

from opb_portal.accounts.demo import DEMO_PASSWORD
from opb_portal.accounts.models import User

from ..conftest import KEEP_SCREENSHOTS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def browser(live_server, transactional_db, demo, monkeypatch):
    from playwright import sync_api as playwright_api

    # A missing browser is a broken set-up, not a reason to pass: `make test` installs it.
    assert CHROMIUM.exists(), (
        "Debian's Chromium is missing: run `make system-tools` (apt-get install chromium)"
    )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # here (signing in, reading what a journey stored) are plain synchronous ones.
    monkeypatch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def sign_in(browser, live_server):
    """
    A page for a demo user: `sign_in("board")` puts a session cookie in a fresh
    context; `sign_in("kpi.submitter", form=True)` types the password in the login form.
    """

    def signed_in(username: str, *, form: bool = False, **context_options):
        # The portal's Content-Security-Policy forbids inline script, which is how
        # Playwright injects axe-core: the tests' own script is let through, nothing else changes.
        context = browser.new_context(accept_downloads=True, bypass_csp=True, **context_options)
        page = context.new_page()
        if form:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert page.get_by_role("button", name="Sign out").is_visible(), (
                f"{username} could not sign in through the form"
            )
        else:
            client = Client()
            client.force_login(User.objects.get(username=username))
            session = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        return page

    return signed_in


def shot(page, name: str) -> None:
    """Keep what the person saw, as test-artifacts/<name>.png, when `make screenshots` asks."""
    if not KEEP_SCREENSHOTS:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it stands, for the WCAG 2.2 A and AA rules."""
    page.add_script_tag(path=str(AXE))
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    results = page.evaluate(f"async () => await axe.run(document, {options})")
    return results["violations"]


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def check_page(page, name: str) -> None:
    """
    Screenshot the page (under `make screenshots`), then assert axe-core finds no WCAG 2.2 AA
    violation on it.
    """
    shot(page, name)
    violations = axe_violations(page)
    assert not violations, f"axe-core on {name} ({page.url}):\n{readable(violations)}"
