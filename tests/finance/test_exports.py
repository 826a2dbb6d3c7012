"""
The budget lines download (`/finance/lines.xlsx?period=2025-03`, and `.csv`): the columns
of the dashboard's table, then every figure as a number, through the portal's one writer.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from finance.models import FinanceFigure
from finance.selectors import finance_position
from finance.tables import FinanceLinesTable
from opb_portal.accounts.models import User
from opb_portal.periods import Period

MARCH = Period(2025, 3)
HOSTILE = '=HYPERLINK("http://example.com","x")'


@pytest.fixture
def officer(client, finance_demo):
    client.force_login(User.objects.get(username="reviewer"))
    return client


def _sheet(client, period="2025-03") -> tuple[list[str], dict[str, dict]]:
    response = client.get("/finance/lines.xlsx", {"period": period})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    rows = {
        row[headings.index("Line")]: dict(zip(headings, row, strict=True))
        for row in sheet.iter_rows(2, values_only=True)
    }
    return headings, rows


def _csv(client, period="2025-03") -> list[list[str]]:
    response = client.get("/finance/lines.csv", {"period": period})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_download_has_the_columns_of_the_dashboards_table(officer):
    headings, _ = _sheet(officer)
    on_screen = [str(column.header) for column in FinanceLinesTable([]).columns]
    assert on_screen == [
        "Line",
        "Budget",
        "Actual to date",
        "Forecast outturn",
        "Variance (forecast − budget)",
        "RAG",
    ]
    assert [heading for heading in headings if heading in on_screen] == on_screen
    for exact in ("Budget (£)", "Actual to date (£)", "Forecast outturn (£)", "Variance (£)"):
        assert exact in headings


def test_each_row_is_the_pages_row_with_its_figures_to_the_pound(officer):
    _, rows = _sheet(officer)
    position = finance_position(MARCH)
    # Every line and group total of the page, in its order: nothing added, nothing left out.
    assert len(rows) == len(position.rows)
    residential = rows["Residential placements"]
    assert residential["Code"] == "PL-RES"
    assert residential["Budget"] == "£20,981,792"
    assert residential["Forecast outturn"] == "£24,362,260"
    assert residential["Variance (forecast − budget)"] == "£3,380,468 over budget"
    assert residential["RAG"] == "Red"
    assert residential["Rule applied"].startswith("Green: overspend up to £419,636")
    assert (residential["Forecast outturn (£)"], residential["Variance (£)"]) == (24362260, 3380468)
    assert residential["Commentary"].startswith("79 children in residential placements")
    staffing = rows["Permanent staffing"]
    assert staffing["Variance (forecast − budget)"] == "£694,333 under budget"
    assert staffing["Variance (£)"] == -694333
    total = rows["Expenditure total"]
    assert (total["Row"], total["Forecast outturn (£)"], total["RAG"]) == ("Total", 99205745, "Red")


def test_the_csv_holds_the_same_table(officer):
    headings, rows = _sheet(officer)
    table = _csv(officer)
    assert table[0] == headings
    row = table[1 + list(rows).index("Residential placements")]
    residential = dict(zip(table[0], row, strict=True))
    assert residential["Forecast outturn"] == "£24,362,260"
    assert residential["Forecast outturn (£)"] == "24362260"
    assert residential["Variance (£)"] == "3380468"


def test_hostile_commentary_is_written_as_text_never_a_formula(officer):
    FinanceFigure.objects.filter(line__code="PL-RES", period=MARCH.first_day).update(
        commentary=HOSTILE
    )
    response = officer.get("/finance/lines.xlsx", {"period": "2025-03"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    column = headings.index("Commentary") + 1
    cell = next(
        sheet.cell(row=row[0].row, column=column)
        for row in sheet.iter_rows(2)
        if row[headings.index("Code")].value == "PL-RES"
    )
    assert (cell.data_type, cell.value) == ("s", HOSTILE)
    table = _csv(officer)
    line = next(row for row in table if row[1] == "PL-RES")
    assert line[table[0].index("Commentary")] == "'" + HOSTILE


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/finance/lines.pdf?period=2025-03", 404, id="unknown-format"),
        pytest.param("/finance/lines.csv?period=March", 400, id="period-not-a-month"),
    ],
)
def test_a_download_that_cannot_be_made_is_refused(officer, url, status):
    assert officer.get(url).status_code == status


def test_a_month_with_no_plan_downloads_the_headings_only(officer):
    table = _csv(officer, period="2023-03")
    assert len(table) == 1


# 12 queries: session, user, savepoint of the request's transaction, the year's plan, its
# lines, its drivers, the month's return, its events with their people, the line figures
# and the driver figures of the year to date, release of the savepoint, the person's
# organisation for the audit line
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_download_query_count_is_fixed(officer, fmt, django_assert_num_queries):
    with django_assert_num_queries(12):
        officer.get(f"/finance/lines.{fmt}", {"period": "2025-03"})
