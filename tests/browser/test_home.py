"""
The home page in a browser, as each role sees it, at a phone's 390 px and a laptop's 1366 px:
no sideways scroll, and no WCAG 2.2 AA violation axe-core finds.
"""

import pytest

from .conftest import check_page

pytestmark = pytest.mark.browser

# A sub-pixel of rounding, never a real sideways scroll.
TOLERANCE = 1


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("username", ["board", "kpi.submitter", "reviewer", "admin"])
def test_the_home_page_fits_the_screen_without_a_sideways_scroll(
    sign_in, live_server, username, width
):
    page = sign_in(username, viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/")

    assert page.get_by_role("heading", name="Home", level=1).is_visible()
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width + TOLERANCE, f"{username} at {width} px: {scroll_width} px wide"
    check_page(page, f"home-{username}-{width}")


def test_a_board_member_goes_from_a_summary_figure_to_its_page(sign_in, live_server):
    page = sign_in("board", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name="Forecast in-year deficit").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/finance/?period=2025-03"
