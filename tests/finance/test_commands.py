"""import_return and review_return for the finance return: the same rules as the pages."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from finance.models import DriverFigure, FinanceFigure
from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile

from .builders import long_rows, long_table, on_plan

HEADINGS = ("Line", "Period", "Actual to date", "Forecast outturn", "Commentary")


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"


def _workbook(path, data, month="2025-04"):
    path.write_bytes(long_table(long_rows(data, month), headings=HEADINGS))
    return str(path)


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_then_review_puts_aprils_figures_on_the_dashboard(finance_demo, tmp_path):
    path = _workbook(tmp_path / "april.xlsx", on_plan(DRV_RES={"value": "81"}))

    out = _run("import_return", "finance", path, "--user", "finance.submitter", "--submit")
    assert "Saved version 1 of the finance return for April 2025." in out
    assert "Submitted the finance return for April 2025." in out
    ret = Return.objects.get(domain="finance", period="2025-04-01")
    assert (ret.status, ret.current_version.source) == ("submitted", "april.xlsx")
    assert ret.current_version.upload.sha256

    out = _run("review_return", "finance", "2025-04", "--user", "reviewer", "--approve")
    assert "The finance return for April 2025 is now approved." in out
    assert FinanceFigure.objects.filter(period="2025-04-01").count() == 19
    assert DriverFigure.objects.get(driver__code="DRV-RES", period="2025-04-01").value == 81


def test_a_file_with_errors_prints_each_with_its_cell_and_stores_nothing(finance_demo, tmp_path):
    data = on_plan(PL_RES={"value": "25600000.50"}, INC_HO={"actual_to_date": "-3"})
    path = _workbook(tmp_path / "april.xlsx", data)
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_return", "finance", path, "--user", "finance.submitter", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(
        "april.xlsx, sheet 'Finance', cell D5" in line and "has pence" in line for line in lines
    )
    assert any("cell C16" in line and "negative" in line for line in lines)
    assert not Return.objects.filter(domain="finance", period="2025-04-01").exists()
    assert not UploadedFile.objects.exists()


def test_submit_refuses_a_red_line_without_commentary_but_keeps_the_draft(finance_demo, tmp_path):
    path = _workbook(tmp_path / "april.xlsx", on_plan(PL_OTHER={"value": "3900000"}))
    out = io.StringIO()
    with pytest.raises(CommandError, match="not submitted"):
        call_command(
            "import_return", "finance", path, "--user", "finance.submitter", "--submit", stdout=out
        )
    assert "PL-OTHER is red" in out.getvalue()
    assert Return.objects.get(domain="finance", period="2025-04-01").status == "draft"


@pytest.mark.parametrize(
    ("username", "message"),
    [
        pytest.param("kpi.submitter", "role does not allow", id="the-kpi-submitter"),
        pytest.param("workforce.submitter", "role does not allow", id="the-workforce-submitter"),
        pytest.param("reviewer", "role does not allow", id="a-reviewer"),
    ],
)
def test_only_finance_submitters_can_import_a_finance_return(
    finance_demo, tmp_path, username, message
):
    path = _workbook(tmp_path / "april.xlsx", on_plan())
    with pytest.raises(CommandError, match=message):
        _run("import_return", "finance", path, "--user", username)
    assert not ReturnVersion.objects.filter(ret__domain="finance", ret__period="2025-04-01")


def test_review_return_can_return_a_finance_return_with_a_query(finance_demo, tmp_path):
    path = _workbook(tmp_path / "april.xlsx", on_plan())
    _run("import_return", "finance", path, "--user", "finance.submitter", "--submit")
    _run("review_return", "finance", "2025-04", "--user", "reviewer", "--return-with", "PL-SA?")
    ret = Return.objects.get(domain="finance", period="2025-04-01")
    assert (ret.status, ret.comments.get().text) == ("returned", "PL-SA?")
    assert not FinanceFigure.objects.filter(period="2025-04-01").exists()


def test_a_correction_of_march_2025_needs_a_reason(finance_demo, tmp_path):
    march = Return.objects.get(domain="finance", period="2025-03-01").approved_version.data
    data = {code: dict(fields) for code, fields in march.items()}
    data["OVERHEADS"]["value"] = data["OVERHEADS"]["actual_to_date"] = "7760219"
    path = _workbook(tmp_path / "march.xlsx", data, month="2025-03")
    with pytest.raises(CommandError, match="say why it needs correcting"):
        _run("import_return", "finance", path, "--user", "finance.submitter")
    _run(
        "import_return", "finance", path, "--user", "finance.submitter",
        "--reason", "Overheads restated to the published figure",
    )  # fmt: skip
    ret = Return.objects.get(domain="finance", period="2025-03-01")
    assert (ret.current_version.number, ret.approved_version.number) == (2, 1)
    overheads = FinanceFigure.objects.get(line__code="OVERHEADS", period="2025-03-01")
    assert overheads.forecast_outturn == Decimal(7_760_218)  # until the correction is approved
