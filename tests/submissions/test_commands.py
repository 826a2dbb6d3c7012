"""import_return and review_return: the same pipeline and rules as the pages."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile


def _long_workbook(path: Path, rows, *, title_rows=1) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Figures"
    for i in range(title_rows):
        sheet.append([f"Sandwell Children's Trust KPI figures ({i})"])
    sheet.append(["KPI", "Period", "Value", "Commentary"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _april_rows(**changes):
    """
    April 2025: March 2025's approved figures again, with some changed. An unchanged line
    keeps March's commentary (its amber lines are explained); a changed one has none.
    """
    march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    return [
        (code, "2025-04", changes.get(code, fields["value"]), _said(code, fields, changes))
        for code, fields in march.items()
    ]


def _said(code, fields, changes) -> str:
    return "" if code in changes else fields["commentary"]


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_clean_file_is_stored_as_a_draft_version(demo, tmp_path):
    path = _long_workbook(tmp_path / "april.xlsx", _april_rows())
    out = _run("import_return", "kpis", str(path), "--user", "kpi.submitter")
    ret = Return.objects.get(domain="kpis", period="2025-04-01")
    assert "Saved version 1 of the kpis return for April 2025." in out
    assert (ret.status, ret.current_version.source) == ("draft", "april.xlsx")
    assert ret.current_version.upload.sha256


def test_submit_submits_after_a_clean_import(demo, tmp_path):
    path = _long_workbook(tmp_path / "april.xlsx", _april_rows())
    out = _run("import_return", "kpis", str(path), "--user", "kpi.submitter", "--submit")
    assert "Submitted the kpis return for April 2025." in out
    assert Return.objects.get(domain="kpis", period="2025-04-01").status == "submitted"


def test_a_file_with_errors_prints_each_problem_and_stores_nothing(demo, tmp_path):
    rows = _april_rows(PI1="lots", PI2="120")
    path = _long_workbook(tmp_path / "april.xlsx", rows)
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_return", "kpis", str(path), "--user", "kpi.submitter", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("april.xlsx" in line and "C3" in line and "PI1" in line for line in lines)
    assert any("between 0 and 100" in line for line in lines)
    assert not Return.objects.filter(period="2025-04-01").exists()
    assert not UploadedFile.objects.exists()


def test_submit_refuses_a_red_kpi_without_commentary_but_keeps_the_draft(demo, tmp_path):
    path = _long_workbook(tmp_path / "april.xlsx", _april_rows(PI1="60.0"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="not submitted"):
        call_command(
            "import_return", "kpis", str(path), "--user", "kpi.submitter", "--submit", stdout=out
        )
    assert "PI1 is red" in out.getvalue()
    assert Return.objects.get(domain="kpis", period="2025-04-01").status == "draft"


def test_a_red_kpi_with_commentary_in_its_row_is_explained(demo, tmp_path):
    rows = [
        (code, period, value, "Backlog cleared in May." if code == "PI1" else said)
        for code, period, value, said in _april_rows(PI1="60.0")
    ]
    path = _long_workbook(tmp_path / "april.xlsx", rows)
    _run("import_return", "kpis", str(path), "--user", "kpi.submitter", "--submit")
    assert Return.objects.get(domain="kpis", period="2025-04-01").status == "submitted"


@pytest.mark.parametrize(
    ("username", "message"),
    [
        pytest.param("finance.submitter", "role does not allow", id="another-domain"),
        pytest.param("reviewer", "role does not allow", id="a-reviewer"),
        pytest.param("nobody", "No user called 'nobody'", id="unknown-user"),
    ],
)
def test_only_the_domains_submitters_can_import(demo, tmp_path, username, message):
    path = _long_workbook(tmp_path / "april.xlsx", _april_rows())
    with pytest.raises(CommandError, match=message):
        _run("import_return", "kpis", str(path), "--user", username)
    assert not ReturnVersion.objects.filter(ret__period="2025-04-01").exists()


def test_review_return_approves_as_a_reviewer_does(demo, tmp_path):
    path = _long_workbook(tmp_path / "april.xlsx", _april_rows())
    _run("import_return", "kpis", str(path), "--user", "kpi.submitter", "--submit")
    out = _run("review_return", "kpis", "2025-04", "--user", "reviewer", "--approve")
    assert "now approved" in out


def test_review_return_can_return_with_a_query(demo, tmp_path):
    path = _long_workbook(tmp_path / "april.xlsx", _april_rows())
    _run("import_return", "kpis", str(path), "--user", "kpi.submitter", "--submit")
    _run("review_return", "kpis", "2025-04", "--user", "reviewer", "--return-with", "PI2?")
    ret = Return.objects.get(domain="kpis", period="2025-04-01")
    assert ret.status == "returned"
    assert ret.comments.get().text == "PI2?"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["kpis", "2025-13"], "not a real month", id="bad-month"),
        pytest.param(["kpis", "2025-06"], "no kpis return for June 2025", id="no-return"),
        pytest.param(["budget", "2025-03"], "No return is called 'budget'", id="unknown-domain"),
    ],
)
def test_review_return_explains_what_it_cannot_do(demo, args, message):
    with pytest.raises(CommandError, match=message):
        _run("review_return", *args, "--user", "reviewer", "--approve")


def test_a_reviewer_cannot_approve_an_approved_return_again(demo):
    with pytest.raises(CommandError, match="not submitted"):
        _run("review_return", "kpis", "2025-03", "--user", "reviewer", "--approve")
