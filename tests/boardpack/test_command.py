"""`manage.py board_pack 2025-03 --output pack.pdf` builds a month's pack without issuing it."""

import pytest
from django.core.management import CommandError, call_command

from opb_portal.boardpack.models import PackIssue

from .conftest import pdf_pages


def test_it_writes_the_months_pack_and_issues_nothing(meeting, tmp_path, capsys):
    output = tmp_path / "pack.pdf"
    call_command("board_pack", "2025-03", "--output", str(output))

    pages = pdf_pages(output.read_bytes())
    assert "Thursday 17 April 2025" in pages[0]  # the meeting that considers March 2025
    assert "Preview, not issued" in pages[0]
    assert not PackIssue.objects.exists()
    assert f"board pack for March 2025, {len(pages)} pages, issuable" in capsys.readouterr().out


def test_a_month_with_no_approved_return_is_built_as_a_draft(demo, tmp_path, capsys):
    output = tmp_path / "pack.pdf"
    call_command("board_pack", "Apr-25", "-o", str(output))
    out = capsys.readouterr().out
    assert "DRAFT (KPI return for April 2025: not yet received" in out
    assert "Finance return for April 2025" in out
    assert "Workforce return for April 2025" in out
    assert all(
        "DRAFT: includes unapproved figures" in page for page in pdf_pages(output.read_bytes())
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["2025-13"], "write it as 2025-03", id="not-a-month"),
        pytest.param(["2025-03", "--meeting", "17/04/2025"], "is not a date", id="not-a-date"),
        pytest.param(
            ["2025-03", "--meeting", "2025-04-18"], "no OPB meeting on 2025-04-18", id="no-meeting"
        ),
    ],
)
def test_it_says_what_is_wrong_with_its_arguments(demo, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("board_pack", *args, "--output", str(tmp_path / "x.pdf"))
