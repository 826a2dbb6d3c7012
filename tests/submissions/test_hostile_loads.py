"""
Hostile loads through the return machinery: answered early with a clear message, the
problems capped with how many more there were, and nothing stored.

The reader's own tests (tests/spreadsheets/test_limits.py) prove each limit; these
prove that every way in (the upload check, `manage.py import_return`) inherits them.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.spreadsheets.limits import MAX_PROBLEMS
from opb_portal.submissions import registry
from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile
from opb_portal.submissions.pipeline import MAX_MONTHS, check_upload

from ..spreadsheets.builders import long_rows_xlsx
from ..spreadsheets.test_limits import FILENAME, HOSTILE_LOADS

APRIL = "2025-04"  # open in the demonstration: March 2025 is approved and locked


def _nothing_stored() -> bool:
    return not (
        UploadedFile.objects.exists()
        or ReturnVersion.objects.filter(source=FILENAME).exists()
        or Return.objects.filter(period__gte="2025-04-01").exists()
        or list(Path(settings.UPLOAD_ROOT).rglob("*"))
    )


def _check(data: bytes):
    submitter = User.objects.get(username="kpi.submitter")
    return check_upload(
        spec=registry.get("kpis"), organisation=submitter.organisation, data=data, filename=FILENAME
    )


@pytest.mark.parametrize(("build", "expected"), HOSTILE_LOADS)
def test_import_return_answers_a_hostile_load_with_its_message_and_stores_nothing(
    demo, tmp_path, build, expected
):
    path = tmp_path / FILENAME
    path.write_bytes(build())
    said = io.StringIO()

    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_return", "kpis", str(path), "--user", "kpi.submitter", stdout=said)

    assert re.search(expected, said.getvalue())
    assert _nothing_stored()


def test_an_upload_of_20000_unknown_codes_lists_200_problems_and_says_how_many_more(demo):
    checked = _check(long_rows_xlsx(20_000, period=lambda number: APRIL))

    assert len(checked.problems) == MAX_PROBLEMS + 1
    assert checked.problems[0].message.startswith("'XX2' is not a line of the KPI return")
    assert checked.problems[0].cell == "A2"
    assert checked.problems[-1].message == (
        f"... and {20_000 - MAX_PROBLEMS:,} more problems like these, not listed: fix these and "
        "upload again."
    )
    assert not checked.ok
    assert _nothing_stored()


def test_import_return_prints_the_capped_list_and_stores_nothing(demo, tmp_path):
    path = tmp_path / FILENAME
    path.write_bytes(long_rows_xlsx(20_000, period=lambda number: APRIL))
    said = io.StringIO()

    with pytest.raises(CommandError, match=f"{MAX_PROBLEMS + 1} error"):
        call_command("import_return", "kpis", str(path), "--user", "kpi.submitter", stdout=said)

    lines = said.getvalue().splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1].endswith(
        "... and 19,800 more problems like these, not listed: fix these and upload again."
    )
    assert _nothing_stored()


def test_an_upload_of_more_months_than_the_limit_is_one_error_naming_the_file(demo):
    first = Period(2025, 4).shift(-MAX_MONTHS)
    data = long_rows_xlsx(
        MAX_MONTHS + 1, code=lambda number: "PI1", period=lambda number: first.shift(number - 2).iso
    )

    checked = _check(data)

    assert [problem.message for problem in checked.problems] == [
        f"{FILENAME} gives figures for {MAX_MONTHS + 1} months, from {first.long} to April "
        f"2025: upload at most {MAX_MONTHS} months (twenty years) at a time."
    ]
    assert checked.months == {}
