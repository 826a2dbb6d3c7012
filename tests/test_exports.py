"""
Every table downloads as xlsx and CSV through one writer, and nothing in a cell runs.

Commentary is typed by people; a cell that starts like a formula must open as the
text it is, in Excel, LibreOffice and Google Sheets alike.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kpis.models import KpiValue
from opb_portal.exports import Export, csv_text

HOSTILE = [
    pytest.param('=HYPERLINK("http://example.com","x")', id="formula"),
    pytest.param("+1+cmd|' /C calc'!A0", id="plus"),
    pytest.param("-2 since February, =1+1", id="minus"),
    pytest.param("@SUM(A1:A9)", id="at"),
    pytest.param("\t=1+1", id="tab"),
    pytest.param("\r=1+1", id="carriage-return"),
]


def _xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- the writer -------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_is_written_as_text(text):
    export = Export(title="Hostile", columns=["Commentary"], rows=[[text]])

    cell = _xlsx(export.to_xlsx())["A2"]
    # XML reads a carriage return back as a line feed (end-of-line normalisation); the
    # cell is still a string, never a formula.
    assert (cell.data_type, cell.value) == ("s", text.replace("\r", "\n"))
    assert _csv(export.to_csv())[1] == ["'" + text]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Timeliness fell to 68.8%", id="ordinary"),
        pytest.param("a=b", id="equals-inside"),
        pytest.param("", id="empty"),
    ],
)
def test_ordinary_text_is_written_unchanged(text):
    export = Export(title="Plain", columns=["Commentary"], rows=[[text]])
    assert _csv(export.to_csv())[1] == [text]
    assert csv_text(text) == text


def test_a_heading_that_looks_like_a_formula_is_text_too():
    export = Export(title="Headings", columns=["=1+1"], rows=[])
    assert _xlsx(export.to_xlsx())["A1"].data_type == "s"
    assert _csv(export.to_csv())[0] == ["'=1+1"]


def test_numbers_stay_numbers_with_every_digit():
    export = Export(
        title="Numbers",
        columns=["Value", "Change", "Count"],
        rows=[[Decimal("27.73"), Decimal("-3.20"), 86835], [Decimal("40.6518"), None, 0]],
    )
    sheet = _xlsx(export.to_xlsx())
    assert [c.data_type for c in sheet[2]] == ["n", "n", "n"]
    assert [c.value for c in sheet[2]] == [27.73, -3.2, 86835]
    assert sheet["B3"].value is None
    rows = _csv(export.to_csv())
    # A negative number is a number, not text that needs a quote.
    assert rows[1:] == [["27.73", "-3.20", "86835"], ["40.6518", "", "0"]]


def test_characters_xml_cannot_hold_are_dropped_rather_than_break_the_file():
    export = Export(title="Control", columns=["Text"], rows=[["bell\x07 and\x1b escape"]])
    assert _xlsx(export.to_xlsx())["A2"].value == "bell and escape"


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        pytest.param([[1.5]], TypeError, id="a-float-would-lose-digits"),
        pytest.param([[1, 2]], ValueError, id="a-row-with-the-wrong-number-of-cells"),
    ],
)
def test_a_table_that_would_mislead_is_refused(rows, error):
    with pytest.raises(error):
        Export(title="Bad", columns=["One"], rows=rows)


def test_the_download_is_named_after_the_table():
    response = Export(title="KPI scorecard March 2025", columns=["A"], rows=[]).response("csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kpi-scorecard-march-2025.csv"'


# --- the KPI tables ------------------------------------------------------------------------------


@pytest.fixture
def officer(client, demo, reviewer):
    client.force_login(reviewer)
    return client


def test_the_scorecard_download_has_the_pages_columns_and_the_exact_figures(officer):
    sheet = _xlsx(officer.get("/kpis/scorecard.xlsx", {"period": "2025-03"}).content)
    headings = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(headings, row, strict=True))
        for row in sheet.iter_rows(2, values_only=True)
    }
    for heading in (
        "KPI",
        "Value",
        "RAG",
        "Rule applied",
        "Change on last month",
        "Months red",
        "Comparators",
    ):
        assert heading in headings
    assert len(rows) == 15
    assert rows["PI1"]["Value"] == "86.4%"
    assert rows["PI1"]["RAG"] == "Green"
    assert rows["PI4"]["Value (exact)"] == 40.7
    assert (rows["PI4"]["Numerator"], rows["PI4"]["Denominator"]) == (353, 86835)
    assert rows["PI9"]["Rule applied"].startswith("Green ≥ 67.0% and ≤ 75.0%")
    assert rows["PI12"]["Mar-25"] == 23.94


def test_hostile_commentary_in_the_scorecard_download_is_text(officer):
    text = '=HYPERLINK("http://example.com","x")'
    KpiValue.objects.filter(kpi__code="PI2", period="2025-03-01").update(commentary=text)

    sheet = _xlsx(officer.get("/kpis/scorecard.xlsx", {"period": "2025-03"}).content)
    column = [cell.value for cell in sheet[1]].index("Commentary")
    pi2 = next(row for row in sheet.iter_rows(2) if row[0].value == "PI2")
    assert (pi2[column].data_type, pi2[column].value) == ("s", text)

    rows = _csv(officer.get("/kpis/scorecard.csv", {"period": "2025-03"}).content)
    pi2_csv = next(row for row in rows if row[0] == "PI2")
    assert pi2_csv[rows[0].index("Commentary")] == "'" + text


def test_the_year_summary_download_gives_the_sentence_and_every_month(officer):
    rows = _csv(officer.get("/kpis/years/2024-25.csv").content)
    headings, pi1 = rows[0], next(row for row in rows if row[0] == "PI1")
    found = dict(zip(headings, pi1, strict=True))
    assert found["Mean"] == "78.1%"
    assert found["Green"] == "1"
    assert found["Amber"] == "10"
    assert found["Red"] == "1"
    assert found["The year in a sentence"].startswith("Performance was on target for 1 month")
    assert found["Oct-24"] == "68.8"
    assert found["Mar-25"] == "86.4"
    assert Decimal(found["Mean (exact)"]).quantize(Decimal("0.1")) == Decimal("78.1")


def test_a_returns_figures_download_is_the_version_on_its_page(officer):
    from opb_portal.submissions.models import Comment, Return

    ret = Return.objects.get(domain="kpis", period="2025-03-01")
    Comment.objects.create(ret=ret, line="PI2", author=ret.current_version.created_by, text="why?")
    sheet = _xlsx(officer.get("/returns/kpis/2025-03/figures.xlsx").content)
    headings = [cell.value for cell in sheet[1]]
    assert headings == [
        "Line",
        "Title",
        "Value",
        "Numerator",
        "Denominator",
        "Commentary",
        "RAG",
        "Queries",
    ]
    rows = {row[0]: row for row in sheet.iter_rows(2, values_only=True)}
    assert rows["PI4"][2:5] == (40.7, 353, 86835)
    assert rows["PI2"][6:] == ("Amber", 1)
    assert sheet.title.startswith("KPI return March 2025")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/kpis/scorecard.pdf?period=2025-03", 404, id="unknown-format"),
        pytest.param("/kpis/scorecard.csv?period=2025-13", 400, id="not-a-month"),
        pytest.param("/kpis/years/2024-26.csv", 404, id="not-a-year"),
        pytest.param("/returns/kpis/2025-03/figures.json", 404, id="unknown-return-format"),
        pytest.param("/returns/kpis/2026-03/figures.csv", 404, id="no-return-that-month"),
    ],
)
def test_a_download_that_cannot_be_made_says_so(officer, url, status):
    assert officer.get(url).status_code == status


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 12: session, user, savepoint, framework in force, the month's return, its events,
        # KPIs, their rules, their comparators (the comparator store's), 24 months of values,
        # the KPIs' latest forecasts (the outlook columns), release, the person's
        # organisation for the audit line
        pytest.param("/kpis/scorecard.xlsx?period=2025-03", 13, id="scorecard"),
        # 9: session, user, savepoint, framework in force, KPIs, rules, the year's values,
        # release, the person's organisation for the audit line
        pytest.param("/kpis/years/2024-25.csv", 9, id="year-summary"),
        # 15: session, user, savepoint, the return; the spec's lines: framework, KPIs; its
        # checks' context: framework, KPIs, rules, 24 months of values, child population,
        # the month's return; the queries on each line, release, the person's organisation
        # for the audit line
        pytest.param("/returns/kpis/2025-03/figures.csv", 15, id="return-figures"),
    ],
)
def test_the_download_query_counts_are_fixed(officer, url, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        officer.get(url)
