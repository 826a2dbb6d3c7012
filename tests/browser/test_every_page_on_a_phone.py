"""
Every page of README.md's "What is where" table (tests/readme_pages.py), as each demonstration
user, on a phone 390 CSS px wide: the page never scrolls sideways (a wide table scrolls inside
its own region), the navigation is folded behind its Menu button, and axe-core finds no WCAG 2.2
A or AA violation. A page the person may not open shows the portal's own 403 page, with its
layout, and is checked as that.
"""

import pytest

from opb_portal.accounts.demo import demo_users

from ..readme_pages import readme_pages
from .conftest import axe_violations, readable

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A sub-pixel of rounding, never a real sideways scroll.
TOLERANCE = 1
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
USERNAMES = [username for username, *_ in demo_users()]


@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_fits_a_phone_and_passes_axe_core(sign_in, live_server, username):
    page = sign_in(username, viewport=PHONE, reduced_motion="reduce")
    problems, opened = [], 0
    for _name, address in readme_pages():
        response = page.goto(f"{live_server.url}{address}")
        status = response.status if response else 0
        assert status < 500, f"{username}: {address} answered {status}"
        # Every answer is one of the portal's pages, with its heading and its navigation.
        assert page.locator("h1").count() == 1, f"{username}: {address} has no single <h1>"
        assert page.get_by_role("navigation", name="Main").count() == 1, address
        if status == 200:
            opened += 1
        width = page.evaluate(PAGE_WIDTH)
        if width > PHONE["width"] + TOLERANCE:
            problems.append(f"{address} ({status}) is {width} px wide at {PHONE['width']} px")
        if page.get_by_role("link", name="Menu").count():
            problems.append(f"{address}: the menu is a link, not a button")
        menu = page.locator("details[data-nav-menu]")
        if menu.count() and menu.evaluate("menu => menu.open"):
            problems.append(f"{address}: the navigation is not folded on a phone")
        violations = axe_violations(page)
        if violations:
            problems.append(f"axe-core on {address} ({status}):\n{readable(violations)}")
    assert opened >= 10, f"{username} opened only {opened} pages: is the demonstration loaded?"
    assert problems == [], "\n".join(problems)


def test_the_menu_button_unfolds_the_navigation_with_the_current_section_marked(
    sign_in, live_server
):
    page = sign_in("board", viewport=PHONE, reduced_motion="reduce")
    page.goto(f"{live_server.url}/kpis/2024/PI1/")
    navigation = page.get_by_role("navigation", name="Main")
    scorecard = navigation.get_by_role("link", name="KPI scorecard")
    assert not scorecard.is_visible()

    page.locator("summary", has_text="Menu").click()

    assert scorecard.is_visible()
    assert scorecard.get_attribute("aria-current") == "true"
    annual = navigation.get_by_role("link", name="Annual review")
    assert annual.is_visible()
    box = annual.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]


def test_on_a_wide_screen_the_navigation_is_open_with_no_menu_button(sign_in, live_server):
    page = sign_in("board", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/finance/")

    finance = page.get_by_role("navigation", name="Main").get_by_role("link", name="Finance")
    assert finance.is_visible()
    assert finance.get_attribute("aria-current") == "page"
    assert not page.locator("summary", has_text="Menu").is_visible()


def test_the_favicon_is_served_at_the_sites_root(sign_in, live_server):
    page = sign_in("board")
    response = page.request.get(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
