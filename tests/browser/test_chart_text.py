"""
Chart text a person can read on a phone: at 390 CSS px every word and figure of every
chart on the demonstration's chart pages is at least 12 px high as drawn, because a
page's chart comes again drawn for a phone (opb_portal/charts, PHONE_WIDTH) rather than
scaled down; on a laptop the page's own drawing shows instead.
"""

import pytest

from .conftest import shot

pytestmark = pytest.mark.browser

PAGES = [
    pytest.param("/kpis/2024/PI9/", id="kpi"),
    pytest.param("/finance/?period=2025-03", id="finance"),
    pytest.param("/workforce/?period=2025-03", id="workforce"),
    pytest.param("/demand/?period=2025-03", id="demand"),
    pytest.param("/benchmarks/children_in_care/", id="benchmark"),
]
# Each visible chart text: its font size times the scale the SVG is drawn at (the
# screen CTM), and the height of its box on the screen.
DRAWN = """() => [...document.querySelectorAll('.chart svg text')]
  .filter(t => t.getClientRects().length)
  .map(t => {
    const m = t.getScreenCTM();
    const size = parseFloat(getComputedStyle(t).fontSize);
    return {text: t.textContent, px: size * Math.hypot(m.a, m.b),
            height: t.getBoundingClientRect().height};
  })"""
CHARTS = """() => [...document.querySelectorAll('.chart svg')]
  .filter(svg => svg.getClientRects().length).map(svg => svg.closest('div').className)"""


@pytest.mark.parametrize("path", PAGES)
def test_at_390_px_chart_text_is_at_least_12_px(sign_in, live_server, path, request):
    page = sign_in("board", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{path}")
    shot(page, f"chart-text-390-{request.node.callspec.id}")

    drawn = page.evaluate(DRAWN)

    assert drawn, f"no chart text on {path}"
    small = [d for d in drawn if d["px"] < 12 or d["height"] < 12]
    assert not small, f"chart text under 12 px at 390 on {path}: {small[:5]}"
    assert set(page.evaluate(CHARTS)) == {"chart-narrow"}


@pytest.mark.parametrize("path", PAGES[:1] + PAGES[-1:])
def test_on_a_laptop_the_pages_own_drawing_shows_and_fills_its_column(sign_in, live_server, path):
    page = sign_in("board", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{path}")

    assert set(page.evaluate(CHARTS)) == {"chart-wide"}
    widths = page.evaluate(
        """() => [...document.querySelectorAll('.chart-wide svg')]
          .filter(svg => svg.getClientRects().length)
          .map(svg => [svg.getBoundingClientRect().width,
                       svg.closest('figure').getBoundingClientRect().width])"""
    )
    assert widths
    assert all(abs(svg - column) <= 1 for svg, column in widths)
