"""Every export is linked from the page it exports, with the same words on every page."""

import re

import pytest

PAGES = [
    pytest.param(
        "/kpis/scorecard/?period=2025-03",
        "/kpis/scorecard.{fmt}?period=2025-03",
        id="scorecard",
    ),
    pytest.param("/kpis/years/2024-25/", "/kpis/years/2024-25.{fmt}", id="year-summary"),
    pytest.param(
        "/returns/kpis/2025-03/", "/returns/kpis/2025-03/figures.{fmt}", id="return-figures"
    ),
    pytest.param("/finance/?period=2025-03", "/finance/lines.{fmt}?period=2025-03", id="finance"),
    pytest.param(
        "/workforce/?period=2025-03", "/workforce/figures.{fmt}?period=2025-03", id="workforce"
    ),
    pytest.param(
        "/workforce/?period=2025-03",
        "/workforce/caseloads.{fmt}?period=2025-03",
        id="workforce-caseloads",
    ),
]


@pytest.mark.parametrize(("page", "export"), PAGES)
def test_the_page_links_its_export_as_excel_and_csv_in_the_same_words(
    client, demo, reviewer, page, export
):
    client.force_login(reviewer)
    html = client.get(page).content.decode()
    for fmt, label in (("xlsx", "Excel (.xlsx)"), ("csv", "CSV")):
        url = export.format(fmt=fmt)
        link = re.search(rf'<a href="{re.escape(url)}" download>([^<]+)</a>', html)
        assert link, f"{page} does not link {url}"
        assert link[1] == label
        assert client.get(url).status_code == 200
    assert re.search(r'<p class="small downloads">Download [^:<]+: <a href', html)
