"""
The workforce downloads: the monthly figures (`/workforce/figures.xlsx?period=2025-03`) and
the caseloads (`/workforce/caseloads.csv?period=2025-03`), with the columns of the
dashboard's tables, then every share and rate unrounded, through the portal's one writer.
"""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from opb_portal.accounts.models import User
from workforce.tables import CaseloadTable, WorkforceHistoryTable


@pytest.fixture
def officer(client, workforce_demo):
    client.force_login(User.objects.get(username="board"))
    return client


def _sheet(client, url: str, period="2025-03") -> tuple[list[str], list[dict]]:
    response = client.get(url, {"period": period})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    return headings, rows


def _csv(client, url: str, period="2025-03") -> list[dict]:
    response = client.get(url, {"period": period})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _on_screen(table) -> list[str]:
    return [str(column.header) for column in table([]).columns]


# --- the monthly figures ----------------------------------------------------------------------


def test_the_monthly_figures_have_the_columns_of_the_dashboards_table(officer):
    headings, _ = _sheet(officer, "/workforce/figures.xlsx")
    on_screen = _on_screen(WorkforceHistoryTable)
    assert [heading for heading in headings if heading in on_screen] == on_screen
    # The RAG the page shows beside the two shares is a column of its own.
    assert {"ASYE RAG", "Agency RAG"} <= set(headings)
    for exact in ("% agency (exact)", "Permanent vacancy rate (exact)"):
        assert exact in headings


def test_each_month_is_the_pages_row_with_the_unrounded_shares(officer):
    _, rows = _sheet(officer, "/workforce/figures.xlsx")
    # Newest first, as on the page: March 2025 back to March 2024.
    assert [row["Month"] for row in rows][:2] == ["Mar-25", "Feb-25"]
    assert rows[-1]["Month"] == "Mar-24"
    march = rows[0]
    assert (march["Establishment"], march["Total social workers"], march["Agency"]) == (
        187,
        179.42,
        37.18,
    )
    assert (march["% agency"], march["Agency RAG"]) == ("20.7%", "Amber")
    assert (march["Permanent vacancy rate"], march["Real-time vacancy rate"]) == ("23.9%", "4.1%")
    # xlsx keeps what a spreadsheet can hold; the CSV keeps every digit.
    assert march["% agency (exact)"] == pytest.approx(37.18 / 179.42 * 100)
    exact = _csv(officer, "/workforce/figures.csv")[0]
    assert Decimal(exact["% agency (exact)"]) == Decimal("37.18") / Decimal("179.42") * 100
    assert exact["Real-time vacancy rate (exact)"].startswith("4.0534759358")


# What a person wrote in this download (the commentary, after its line's title) is checked
# with every other download of people's words in tests/test_person_text_in_exports.py.


# --- the caseloads ------------------------------------------------------------------------------


def test_the_caseloads_have_the_columns_of_the_dashboards_table(officer):
    headings, _ = _sheet(officer, "/workforce/caseloads.xlsx")
    on_screen = _on_screen(CaseloadTable)
    assert on_screen == [
        "Service",
        "Children held",
        "Case-holding FTE",
        "Average caseload",
        "Model",
        "Model, ASYEs allowed for",
        "% of model",
        "RAG",
    ]
    assert [heading for heading in headings if heading in on_screen] == on_screen


def test_each_service_is_the_pages_row_with_the_unrounded_figures(officer):
    _, rows = _sheet(officer, "/workforce/caseloads.xlsx")
    by_service = {row["Service"]: row for row in rows}
    assert list(by_service) == [
        "Assessment and Intervention",
        "Court and Child Protection",
        "Children we Care for",
    ]
    court = by_service["Court and Child Protection"]
    assert (court["Children held"], court["Case-holding FTE"]) == (754, 48)
    assert (court["Average caseload"], court["Model"], court["Model, ASYEs allowed for"]) == (
        "15.71",
        "15",
        "14.53",
    )
    assert (court["% of model"], court["RAG"]) == ("108.1%", "Amber")
    assert court["Average caseload (exact)"] == pytest.approx(754 / 48)
    exact = {row["Service"]: row for row in _csv(officer, "/workforce/caseloads.csv")}
    assert exact["Court and Child Protection"]["% of model (exact)"].startswith("108.0960827")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/workforce/figures.pdf?period=2025-03", 404, id="figures-unknown-format"),
        pytest.param("/workforce/caseloads.json?period=2025-03", 404, id="caseloads-as-json"),
        pytest.param("/workforce/figures.csv?period=2025-13", 400, id="figures-no-such-month"),
        pytest.param("/workforce/caseloads.csv?period=soon", 400, id="caseloads-not-a-month"),
    ],
)
def test_a_download_that_cannot_be_made_is_refused(officer, url, status):
    assert officer.get(url).status_code == status


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 7 queries: session, user, savepoint, the rules in force by then, the 24 months of
        # figures, release of the savepoint, the person's organisation for the audit line
        pytest.param("/workforce/figures.xlsx", 7, id="figures"),
        # 12 queries: session, user, savepoint, the month, the services running then, their
        # caseload figures, their caseload models, the rules in force by then, the month's
        # return, its events with their people, release of the savepoint, the person's
        # organisation for the audit line
        pytest.param("/workforce/caseloads.csv", 12, id="caseloads"),
    ],
)
def test_the_download_query_count_is_fixed(officer, url, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        officer.get(url, {"period": "2025-03"})
