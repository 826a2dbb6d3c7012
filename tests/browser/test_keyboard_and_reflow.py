"""
The scorecard and the typed return with a keyboard alone, and on a 320 px wide screen.

WCAG 2.4.1 (a skip link, first, that lands in main), 2.4.7 and 2.4.11 (every focused
element is on screen with a visible indicator) and 1.4.10 (reflow: no horizontal
scrolling of the page at 320 CSS px; wide tables scroll inside their own container).
"""

import pytest

from .conftest import shot

pytestmark = pytest.mark.browser

PAGES = [
    pytest.param("/kpis/scorecard/?period=2025-03", id="scorecard"),
    pytest.param("/returns/kpis/2025-04/edit/", id="typed-return"),
]
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const name = (el.innerText || el.value || el.name || '').trim().slice(0, 40);
  return {
    element: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${name}`,
    outline: style.outlineStyle, visibility: style.visibility,
    width: box.width, height: box.height, top: box.top, bottom: box.bottom,
    left: box.left, right: box.right, viewportWidth: innerWidth, viewportHeight: innerHeight,
  };
}"""
# Reflow is checked on the journeys' other pages too.
REFLOW_PAGES = [
    *PAGES,
    pytest.param("/kpis/2024/PI1/", id="kpi"),
    pytest.param("/finance/?period=2025-03", id="finance"),
    pytest.param("/workforce/?period=2025-03", id="workforce"),
    pytest.param("/returns/kpis/2025-03/", id="return-detail"),
    pytest.param("/returns/kpis/upload/", id="upload"),
]
# More stops than either page has, so that reaching the end of the page is what stops the walk.
MOST_STOPS = 400


def problems_with(stop: dict) -> list[str]:
    found = []
    if stop["outline"] == "none":
        found.append("no focus outline")
    if stop["visibility"] != "visible" or stop["width"] < 1 or stop["height"] < 1:
        found.append("not visible")
    on_screen = stop["bottom"] > 0 and stop["top"] < stop["viewportHeight"]
    if not on_screen or stop["right"] <= 0 or stop["left"] >= stop["viewportWidth"]:
        found.append("off screen")
    return found


@pytest.mark.parametrize("path", PAGES)
def test_the_skip_link_comes_first_and_moves_focus_to_main(sign_in, live_server, path):
    page = sign_in("kpi.submitter")
    page.goto(f"{live_server.url}{path}")

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["element"].startswith("a Skip to main content"), first
    assert problems_with(first) == []
    page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.id") == "main"


@pytest.mark.parametrize("path", PAGES)
def test_every_focused_element_is_on_screen_with_a_visible_outline(
    sign_in, live_server, path, request
):
    # Bootstrap scrolls smoothly unless motion is reduced: the focused element would still
    # be on its way into view when it is measured.
    page = sign_in("kpi.submitter", reduced_motion="reduce")
    page.goto(f"{live_server.url}{path}")

    stops, failures = [], []
    for _ in range(MOST_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["element"] == stops[0]["element"]):
            break
        stops.append(stop)
        if problems := problems_with(stop):
            failures.append(f"stop {len(stops)}, {stop['element']}: {', '.join(problems)}")
    shot(page, f"keyboard-{request.node.callspec.id}")

    assert len(stops) > 10, f"the walk stopped after {len(stops)} stops"
    assert len(stops) < MOST_STOPS, "the Tab order never reached the end of the page"
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("path", REFLOW_PAGES)
def test_at_320_px_wide_the_page_does_not_scroll_sideways(sign_in, live_server, path, request):
    page = sign_in("kpi.submitter", viewport={"width": 320, "height": 640})
    page.goto(f"{live_server.url}{path}")

    width = page.evaluate("() => document.documentElement.scrollWidth")
    shot(page, f"reflow-320-{request.node.callspec.id}")

    wider = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
        .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
        .filter(el => !el.closest('.table-container, .table-responsive'))
        .slice(0, 10)
        .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)"""
    )
    assert width <= 320, f"the page is {width} px wide at 320 px; too wide: {wider}"
