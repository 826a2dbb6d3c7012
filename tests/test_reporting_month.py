"""
`core.reporting`: the month every dashboard and export is asked for, read one way.

The pages' own tests prove what people see (a 400 page with the picker's message, an
export's plain-text 400); these pin the reader itself, including when the latest month
is looked up, which costs a query.
"""

import pytest
from django.http import Http404
from django.test import RequestFactory

from opb_portal.core.reporting import financial_year_or_404, period_from_request
from opb_portal.periods import FinancialYear, Period

LATEST = Period(2025, 3)


class Latest:
    """The latest month with figures, counting how often it was asked for."""

    def __init__(self, found: Period | None = LATEST):
        self.found, self.asked = found, 0

    def __call__(self) -> Period | None:
        self.asked += 1
        return self.found


def asked(query: dict, latest: Latest):
    return period_from_request(RequestFactory().get("/", query), latest=latest)


@pytest.mark.parametrize(
    ("query", "period", "latest_asked"),
    [
        pytest.param({"period": "2024-11"}, Period(2024, 11), 0, id="the-month-asked-for"),
        pytest.param({"period": "Nov-24"}, Period(2024, 11), 0, id="written-as-a-table-does"),
        pytest.param({"period": "November 2024"}, Period(2024, 11), 0, id="written-out"),
        pytest.param({}, LATEST, 1, id="none-asked-the-latest-with-figures"),
        pytest.param({"period": ""}, LATEST, 1, id="an-empty-picker-the-latest"),
    ],
)
def test_it_reads_the_month_asked_for_else_the_latest(query, period, latest_asked):
    latest = Latest()
    found = asked(query, latest)
    assert (found.period, found.status, found.error) == (period, 200, "")
    assert found.refusal() is None
    assert latest.asked == latest_asked


def test_without_figures_it_is_this_month():
    assert asked({}, Latest(None)).period == Period.current()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Smarch 2025", id="not-a-month-name"),
        pytest.param("2025-13", id="month-13"),
        pytest.param("1899-12", id="before-the-months-the-portal-holds"),
    ],
)
def test_a_month_it_cannot_read_is_a_400_with_the_reason(text):
    latest = Latest()
    found = asked({"period": text}, latest)
    assert found.status == 400
    assert found.error.endswith("write it as 2025-03, Mar-25 or March 2025")
    refusal = found.refusal()
    assert (refusal.status_code, refusal["Content-Type"]) == (400, "text/plain")
    assert refusal.content.decode() == found.error
    # An export refuses without looking for the latest month; a page shows it.
    assert latest.asked == 0
    assert found.period == LATEST
    assert latest.asked == 1


def test_a_financial_year_in_a_url_is_read_or_is_a_404():
    assert financial_year_or_404("2024-25") == FinancialYear(2024)
    with pytest.raises(Http404, match="is not a financial year"):
        financial_year_or_404("2024-26")
