"""
The month picker (templates/partials/month_picker.html): one control on every page that shows
a month, a list of the months with figures, always saying the month the heading says.
"""

import re

import pytest

from opb_portal.accounts.models import User

PAGES = [
    pytest.param("/kpis/scorecard/", "KPI scorecard", id="scorecard"),
    pytest.param("/finance/", "Finance", id="finance"),
    pytest.param("/workforce/", "Social work workforce", id="workforce"),
    pytest.param("/demand/", "Demand", id="demand"),
    pytest.param("/governance/exceptions/", "Exception reports", id="exception-reports"),
]
PICKER = re.compile(
    r'<form method="get"[^>]*aria-label="Choose a reporting month">(.*?)</form>', re.S
)
SELECTED = re.compile(r'<option value="(\d{4}-\d\d)" selected>')


@pytest.fixture
def board(client, demo):
    client.force_login(User.objects.get(username="board"))
    return client


def _picker(html: str) -> str:
    found = PICKER.findall(html)
    assert len(found) == 1, "one month picker on the page"
    return found[0]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_every_month_page_offers_the_same_list_of_months(board, path, heading):
    html = board.get(f"{path}?period=2025-03").content.decode()

    picker = _picker(html)
    assert f'<h1 class="h2 mb-1">{heading}: March 2025</h1>' in html
    assert '<select class="form-select" name="period" id="id_period">' in picker
    assert SELECTED.findall(picker) == ["2025-03"]
    assert '<option value="2024-04">April 2024</option>' in picker


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_a_month_with_no_figures_is_the_month_the_picker_says(board, path, heading):
    html = board.get(f"{path}?period=2023-01").content.decode()

    picker = _picker(html)
    assert f"{heading}: January 2023</h1>" in html
    assert SELECTED.findall(picker) == ["2023-01"]
    assert "January 2023 (no figures)" in picker
