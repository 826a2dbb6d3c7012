"""
Every download that carries what a person wrote opens it as the text it is.

Commentary and notes are typed (or pasted from Word) by people. In each download below
the person's words stand first in their cell, so a cell that starts like a formula reaches
Excel only if the writer's text neutraliser (`opb_portal.exports.csv_text` and `_set_text`)
fails: the xlsx cell must be a string, never a formula, and the CSV cell must start with a
quote. A vertical tab (Word's line break, which XML forbids) must be dropped, not break
the file. The workforce monthly figures put the line's title before the words, so there
only the string type and the dropped character are at stake.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from finance.models import FinanceFigure
from kpis.models import KpiValue
from opb_portal.accounts.models import User
from opb_portal.submissions.models import Return, ReturnVersion
from workforce.models import WorkforceMonth

MARCH = "2025-03-01"
TYPED = '=HYPERLINK("http://example.com","x")\x0b(see the plan)'
# What a spreadsheet must show: the same words, without the character XML cannot hold.
SHOWN = '=HYPERLINK("http://example.com","x")(see the plan)'


def _kpi_commentary(text: str) -> None:
    KpiValue.objects.filter(kpi__code="PI2", period=MARCH).update(commentary=text)


def _finance_commentary(text: str) -> None:
    FinanceFigure.objects.filter(line__code="PL-RES", period=MARCH).update(commentary=text)


def _workforce_commentary(text: str) -> None:
    WorkforceMonth.objects.filter(period=MARCH).update(commentary={"AGENCY": text})


def _return_commentary(domain: str, line: str):
    """The commentary of one line of the month's current return version, as the Trust wrote it."""

    def write(text: str) -> None:
        version = Return.objects.get(domain=domain, period=MARCH).current_version
        data = {code: dict(fields) for code, fields in version.data.items()}
        data[line]["commentary"] = text
        # A stored version is never changed through the ORM's save: write the row as data.
        ReturnVersion.objects.filter(pk=version.pk).update(data=data)

    return write


# (url without its format, how the person's text gets in, the row: (column, value), what
# stands before the person's text in the cell)
EXPORTS = [
    pytest.param(
        "/kpis/scorecard.{fmt}?period=2025-03",
        _kpi_commentary,
        ("Code", "PI2"),
        "",
        id="kpi-scorecard-commentary",
    ),
    pytest.param(
        "/finance/lines.{fmt}?period=2025-03",
        _finance_commentary,
        ("Code", "PL-RES"),
        "",
        id="finance-lines-commentary",
    ),
    pytest.param(
        "/returns/kpis/2025-03/figures.{fmt}",
        _return_commentary("kpis", "PI2"),
        ("Line", "PI2"),
        "",
        id="kpi-return-figures-commentary",
    ),
    pytest.param(
        "/returns/finance/2025-03/figures.{fmt}",
        _return_commentary("finance", "PL-RES"),
        ("Line", "PL-RES"),
        "",
        id="finance-return-figures-commentary",
    ),
    pytest.param(
        "/returns/workforce/2025-03/figures.{fmt}",
        _return_commentary("workforce", "AGENCY"),
        ("Line", "AGENCY"),
        "",
        id="workforce-return-figures-commentary",
    ),
    pytest.param(
        "/workforce/figures.{fmt}?period=2025-03",
        _workforce_commentary,
        ("Month", "Mar-25"),
        "Agency Social Workers: ",
        id="workforce-monthly-figures-commentary",
    ),
]


@pytest.fixture
def reviewer_client(client, demo):
    client.force_login(User.objects.get(username="reviewer"))
    return client


def _download(client, url: str, fmt: str) -> bytes:
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 200, url
    return response.content


@pytest.mark.parametrize(("url", "write", "row", "before"), EXPORTS)
def test_what_a_person_wrote_opens_as_text_in_the_xlsx(reviewer_client, url, write, row, before):
    write(TYPED)
    sheet = load_workbook(io.BytesIO(_download(reviewer_client, url, "xlsx"))).active
    headings = [cell.value for cell in sheet[1]]
    key, value = row
    found = next(line for line in sheet.iter_rows(2) if line[headings.index(key)].value == value)
    cell = found[headings.index("Commentary")]
    assert (cell.data_type, cell.value) == ("s", before + SHOWN)


@pytest.mark.parametrize(("url", "write", "row", "before"), EXPORTS)
def test_what_a_person_wrote_opens_as_text_in_the_csv(reviewer_client, url, write, row, before):
    write(TYPED)
    text = _download(reviewer_client, url, "csv").decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    key, value = row
    found = next(line for line in table if line[key] == value)
    # A leading quote keeps a spreadsheet from reading the cell as a formula.
    assert found["Commentary"] == ("'" + SHOWN if not before else before + SHOWN)
