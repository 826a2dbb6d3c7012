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
    # "Preview the pack" asks for a background job (here, with no broker, done in-process as
    # the request commits) and lands on the job's page, which says what was made and offers it.
    page.get_by_role("button", name="Preview the pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Preview of the board pack for the OPB meeting of 17 April 2025"
    )
    expect(page.get_by_role("status")).to_contain_text("The preview of the pack for the OPB")
    check_page(page, "chair-6-pack-preview-job")
    opened = page.get_by_role("link", name="Open opb-board-pack-2025-03-preview.pdf")
    result = opened.get_attribute("href")
    assert result.startswith("/jobs/")
    assert result.endswith("/result/")
    # Chromium's viewer shows the PDF inline; fetch the same address with the chair's session.
    pdf = page.context.request.get(f"{live_server.url}{result}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    # A link or bookmark to the preview now gives the kept PDF, not a second rendering.
    again = page.context.request.get(f"{live_server.url}/meetings/2025-04-17/preview.pdf")
    assert again.body() == pdf.body()
    opened.click()
    shot(page, "chair-7-pack-preview")
