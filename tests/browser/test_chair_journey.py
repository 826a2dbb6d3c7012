"""
The chair before the April 2025 OPB: the scorecard, one KPI, the finance and
workforce dashboards, and the board pack preview, every page checked with axe-core.
"""

import pytest

from .conftest import check_page, shot

pytestmark = pytest.mark.browser


def test_the_chair_reads_the_dashboards_and_downloads_the_pack_preview(sign_in, live_server):
    from playwright.sync_api import expect

    page = sign_in("board")

    page.goto(f"{live_server.url}/kpis/scorecard/?period=2025-03")
    expect(page.get_by_role("heading", level=1)).to_have_text("KPI scorecard: March 2025")
    check_page(page, "chair-1-scorecard")

    page.get_by_role("link", name="PI1", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PI1")
    check_page(page, "chair-2-kpi")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Finance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Finance")
    check_page(page, "chair-3-finance")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workforce").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("workforce")
    check_page(page, "chair-4-workforce")

    page.goto(f"{live_server.url}/meetings/2025-04-17/")
    check_page(page, "chair-5-meeting")
    preview = page.get_by_role("link", name="Preview pack (PDF)")
    # The preview opens in a new tab, shown inline by Chromium's PDF viewer: fetch the very
    # same address with the chair's session, as "Save" in that viewer would.
    with page.expect_popup() as popup:
        preview.click()
    tab = popup.value
    tab.wait_for_load_state()
    assert tab.url == f"{live_server.url}/meetings/2025-04-17/preview.pdf"
    pdf = page.context.request.get(tab.url)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    shot(tab, "chair-6-pack-preview")
