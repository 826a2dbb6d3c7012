"""
The pages with wide tables on a 320 CSS px screen (WCAG 1.4.10 reflow, 2.1.1 keyboard).

At 320 px a wide table cannot fit: it scrolls sideways inside its own region while the
page itself does not. A region that scrolls must be reachable with the keyboard, or
someone without a mouse cannot see its right-hand columns (axe's
scrollable-region-focusable rule): every such region is a named, focusable `region`.
"""

import pytest

from .conftest import check_page, shot

pytestmark = pytest.mark.browser

WIDTH = 320
# A sub-pixel of rounding, never a real sideways scroll.
TOLERANCE = 1
PAGES = [
    pytest.param("/kpis/scorecard/?period=2025-03", id="scorecard"),
    pytest.param("/kpis/2024/PI1/", id="kpi"),
    pytest.param("/finance/?period=2025-03", id="finance"),
    pytest.param("/workforce/?period=2025-03", id="workforce"),
    pytest.param("/demand/?period=2025-03", id="demand"),
    pytest.param("/benchmarks/children_in_care/?year=2024", id="benchmark"),
    pytest.param("/returns/", id="returns"),
]
# What a screen reader announces a region as: its aria-label, or the text it is labelled by.
NAME = """el => el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') || '')
  .split(' ').map(id => document.getElementById(id)?.textContent.trim() || '').join(' ').trim()"""
# Every box in main that is narrower than what it holds and scrolls sideways: the boxes
# axe's rule looks for, asked of the page directly so that a region that stopped
# scrolling (and so stopped being tested) shows.
SCROLLING_REGIONS = f"""() => [...document.querySelectorAll('main *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .map(el => ({{html: el.outerHTML.slice(0, 160), tabindex: el.getAttribute('tabindex'),
               role: el.getAttribute('role'), name: ({NAME})(el)}}))"""
FOCUSED_REGION = f"""() => {{
  const el = document.activeElement;
  if (!el || el.getAttribute('role') !== 'region') return null;
  const style = getComputedStyle(el);
  return {{name: ({NAME})(el), outline: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth), scrolls: el.scrollWidth > el.clientWidth}};
}}"""
MOST_STOPS = 400


@pytest.mark.parametrize("path", PAGES)
def test_at_320_px_wide_tables_scroll_in_named_regions_the_keyboard_reaches(
    sign_in, live_server, path, request
):
    name = f"reflow-{request.node.callspec.id}"
    page = sign_in(
        "kpi.submitter", viewport={"width": WIDTH, "height": 800}, reduced_motion="reduce"
    )
    page.goto(f"{live_server.url}{path}")

    # axe-core's WCAG 2.2 A and AA rules include scrollable-region-focusable.
    check_page(page, name)
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= WIDTH + TOLERANCE, f"the page scrolls sideways: {page_width} px wide"

    regions = page.evaluate(SCROLLING_REGIONS)
    assert regions, "no table is wider than the screen: the page no longer tests scrolling"
    unreachable = [r for r in regions if r["tabindex"] != "0" or r["role"] != "region"]
    assert unreachable == [], f"scrolling boxes the keyboard cannot reach: {unreachable}"
    assert all(r["name"] for r in regions), f"a scrolling region without a name: {regions}"

    # Tab from the top of the page to the first region that scrolls.
    focused = None
    for _ in range(MOST_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_REGION)
        if focused and focused["scrolls"]:
            break
    assert focused, "Tab never reached a table region"
    assert focused["scrolls"], "Tab never reached a table that scrolls"
    assert focused["name"] == regions[0]["name"]
    assert focused["outline"] != "none", "the focused region shows no outline"
    assert focused["outlineWidth"] >= 2, focused
    # The arrow keys then scroll the table: what the region is focusable for.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    shot(page, f"{name}-table-focused")


# The administrator has the most links in the header: at any width the person's own
# links (their name, two-factor sign-in, sign out) stay on the screen.
@pytest.mark.parametrize("width", [pytest.param(w, id=f"{w}px") for w in (320, 768, 1280)])
def test_the_administrators_header_keeps_sign_out_on_the_screen(sign_in, live_server, width):
    page = sign_in("admin", viewport={"width": width, "height": 800}, reduced_motion="reduce")
    page.goto(f"{live_server.url}/comparators/")

    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= width + TOLERANCE, f"the page scrolls sideways: {page_width} px wide"
    for link in (
        page.get_by_role("button", name="Sign out"),
        page.get_by_role("link", name="Two-factor sign-in"),
    ):
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width
