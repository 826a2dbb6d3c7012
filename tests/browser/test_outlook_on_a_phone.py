"""
The outlook on a phone, 390 CSS px wide: the KPI page's "Looking ahead" and the scorecard's
Outlook column fit without the page scrolling sideways, and axe-core finds nothing.
"""

import pytest

from kpis.models import KpiDefinition
from opb_portal.periods import Period

from ..kpis.forecasts import step, stored_forecast
from .conftest import check_page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_the_kpi_page_looks_ahead_on_a_phone(sign_in, live_server):
    pi1 = KpiDefinition.objects.get(framework__code="2024", code="PI1")
    # Two earlier forecasts of PI1's next month, for "How earlier forecasts did".
    stored_forecast(pi1, Period(2025, 1), [step(Period(2025, 2), "95.5", "93.0", "98.0")])
    stored_forecast(pi1, Period(2025, 2), [step(Period(2025, 3), "96.0", "94.0", "98.0")])
    page = sign_in("board", viewport=PHONE, reduced_motion="reduce")

    page.goto(f"{live_server.url}/kpis/2024/PI1/#looking-ahead")

    section = page.locator("#looking-ahead")
    assert section.get_by_role("heading", name="Looking ahead").is_visible()
    assert section.get_by_role("heading", name="How earlier forecasts did").is_visible()
    assert section.get_by_text("one-month forecasts had the actual figure inside").is_visible()
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"] + 1
    check_page(page, "kpi-page-looking-ahead-390")


def test_the_scorecard_outlook_column_on_a_phone(sign_in, live_server):
    page = sign_in("board", viewport=PHONE, reduced_motion="reduce")

    page.goto(f"{live_server.url}/kpis/scorecard/?period=2025-03")

    assert page.get_by_role("columnheader", name="Outlook").count() == 1
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"] + 1
    check_page(page, "scorecard-outlook-390")
