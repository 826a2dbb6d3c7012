"""
The month picker (templates/partials/month_picker.html): one control on every page that shows
a month, a list of the months with figures, always saying the month the heading says.
"""

import re

import pytest

from opb_portal.accounts.models import User
from opb_portal.core.templatetags.portal import month_options
from opb_portal.periods import Period

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


MARCH, FEBRUARY, JANUARY = Period(2025, 3), Period(2025, 2), Period(2025, 1)


@pytest.mark.parametrize(
    ("period", "periods", "options"),
    [
        pytest.param(
            FEBRUARY,
            [MARCH, FEBRUARY, JANUARY],
            '<option value="2025-03">March 2025</option>'
            '<option value="2025-02" selected>February 2025</option>'
            '<option value="2025-01">January 2025</option>',
            id="a-month-with-figures-is-selected-where-it-is",
        ),
        pytest.param(
            Period(2023, 1),
            [MARCH, FEBRUARY],
            '<option value="2023-01" selected>January 2023 (no figures)</option>'
            '<option value="2025-03">March 2025</option>'
            '<option value="2025-02">February 2025</option>',
            id="a-month-without-figures-comes-first-and-says-so",
        ),
        pytest.param(
            MARCH,
            [],
            '<option value="2025-03" selected>March 2025 (no figures)</option>',
            id="no-figures-at-all",
        ),
    ],
)
def test_the_options_are_the_months_with_the_one_shown_selected(period, periods, options):
    assert month_options(period, periods) == options


def test_ten_years_of_months_are_all_offered_newest_first():
    months = MARCH.last_n(120)[::-1]

    options = re.findall(r'<option value="(\d{4}-\d\d)"', month_options(MARCH, months))

    assert options == [month.iso for month in months]
    assert options[0] == "2025-03"
    assert options[-1] == "2015-04"
