"""import_return and review_return for the workforce return: the same pipeline and rules."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile
from workforce.models import WorkforceMonth

from .workbooks import long_table, month_rows, trust_table


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def april(tmp_path, workforce_demo):
    path = tmp_path / "workforce-april.xlsx"
    path.write_bytes(long_table(month_rows()))
    return path


def test_a_clean_file_is_stored_as_a_draft(april):
    out = _run("import_return", "workforce", str(april), "--user", "workforce.submitter")
    assert "Saved version 1 of the workforce return for April 2025." in out
    ret = Return.objects.get(domain="workforce", period="2025-04-01")
    assert (ret.status, ret.current_version.source) == ("draft", "workforce-april.xlsx")


def test_import_submit_then_review_approve_puts_april_on_the_dashboard(april):
    out = _run(
        "import_return", "workforce", str(april), "--user", "workforce.submitter", "--submit"
    )
    assert "Submitted the workforce return for April 2025." in out
    out = _run("review_return", "workforce", "2025-04", "--user", "reviewer", "--approve")
    assert "The workforce return for April 2025 is now approved." in out
    assert WorkforceMonth.objects.get(period="2025-04-01").total_fte == Decimal("179.42")


def test_review_return_can_send_a_workforce_return_back(april):
    _run("import_return", "workforce", str(april), "--user", "workforce.submitter", "--submit")
    _run("review_return", "workforce", "2025-04", "--user", "reviewer", "--return-with", "CCP?")
    ret = Return.objects.get(domain="workforce", period="2025-04-01")
    assert (ret.status, ret.comments.get().text) == ("returned", "CCP?")


@pytest.mark.parametrize("username", ["kpi.submitter", "finance.submitter", "reviewer"])
def test_only_workforce_submitters_can_import_it(april, username):
    with pytest.raises(CommandError, match="role does not allow"):
        _run("import_return", "workforce", str(april), "--user", username)
    assert not ReturnVersion.objects.filter(ret__domain="workforce", ret__period="2025-04-01")


def test_a_file_with_errors_prints_each_with_its_cell_and_stores_nothing(tmp_path, workforce_demo):
    path = tmp_path / "workforce-april.xlsx"
    path.write_bytes(long_table(month_rows(AGENCY="lots", AI_CHILDREN="-3")))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command(
            "import_return", "workforce", str(path), "--user", "workforce.submitter", stdout=out
        )
    lines = out.getvalue().splitlines()
    assert any("workforce-april.xlsx, sheet 'Figures', cell C5" in line for line in lines)
    assert any("cell C6" in line and "cannot be below zero" in line for line in lines)
    assert not UploadedFile.objects.exists()


def test_the_trusts_own_table_imports_from_the_command_line(tmp_path, reference):
    path = tmp_path / "workforce-2024-25.xlsx"
    path.write_bytes(trust_table())
    out = _run("import_return", "workforce", str(path), "--user", "workforce.submitter")
    assert out.count("Saved version 1 of the workforce return") == 13
    # The red ASYE months are printed as warnings, with their cells.
    assert out.count("WARNING: workforce-2024-25.xlsx, sheet 'Workforce'") == 4


def test_submit_refuses_a_red_share_without_commentary_but_keeps_the_draft(
    tmp_path, workforce_demo
):
    path = tmp_path / "workforce-april.xlsx"
    path.write_bytes(long_table(month_rows(ASYE="60")))
    out = io.StringIO()
    with pytest.raises(CommandError, match="not submitted"):
        call_command(
            "import_return",
            "workforce",
            str(path),
            "--user",
            "workforce.submitter",
            "--submit",
            stdout=out,
        )
    assert "ASYEs are 28.4% of social workers" in out.getvalue()
    assert Return.objects.get(domain="workforce", period="2025-04-01").status == "draft"
